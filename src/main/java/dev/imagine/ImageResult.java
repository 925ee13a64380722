package dev.imagine;

import dev.imagine.internal.ImageFormats;
import dev.imagine.internal.images.ImageGrid;
import dev.imagine.internal.models.Costs;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one request produced: the images and what the server said about them.
 *
 * <pre>{@code
 * ImageResult r = images().prompt("a red fox").n(2).generate();
 * r.image().save(Path.of("fox.png"));
 * List<Path> saved = r.saveTo(Path.of("out"));
 * System.out.println(r); // ImageResult[2 images, gpt-image-2, 1024x1024, 3.1 s, 3.8 MB, ...]
 * }</pre>
 */
public final class ImageResult {
  private final ImageRequest request;
  private final Instant created;
  private final List<GeneratedImage> images;
  private final Usage usage;
  private final String size;
  private final String quality;
  private final String background;
  private final String outputFormat;
  private final String requestId;
  private final Duration elapsed;
  private final PriceTable prices;

  /** As the full constructor, priced by {@link PriceTable#standard()}. */
  public ImageResult(ImageRequest request, Instant created, List<GeneratedImage> images, Usage usage,
      String size, String quality, String background, String outputFormat, String requestId,
      Duration elapsed) {
    this(request, created, images, usage, size, quality, background, outputFormat, requestId, elapsed,
        PriceTable.standard());
  }

  /**
   * Built by the client; public so tests and tools can make results of their own.
   *
   * @param request the request as sent, with the model it went to
   * @param prices what {@link #cost()} is computed from
   */
  public ImageResult(ImageRequest request, Instant created, List<GeneratedImage> images, Usage usage,
      String size, String quality, String background, String outputFormat, String requestId,
      Duration elapsed, PriceTable prices) {
    this.request = request;
    this.created = created;
    this.images = List.copyOf(images);
    this.usage = usage;
    this.size = size;
    this.quality = quality;
    this.background = background;
    this.outputFormat = outputFormat;
    this.requestId = requestId;
    this.elapsed = elapsed;
    this.prices = Objects.requireNonNull(prices, "prices");
  }

  /** The first image. */
  public GeneratedImage image() {
    if (images.isEmpty()) {
      throw new ImagineException("the response held no image" + (requestId == null ? "" : " (request " + requestId + ")"));
    }
    return images.get(0);
  }

  /** All images, in the server's order. */
  public List<GeneratedImage> images() {
    return images;
  }

  /** The request that made these images. */
  public ImageRequest request() {
    return request;
  }

  /** The model the request was sent to (the client's default when none was set). */
  public String model() {
    return request.model();
  }

  /**
   * The estimated cost of this result in the price table's unit (US dollars by default): from the
   * usage the server reported for GPT image models, per image for DALL·E. Empty when the table has
   * no price for the model or the server reported no usage. A reseller bills in its own units:
   * give the client its table with {@link ImagesClient.Builder#prices(PriceTable)}.
   *
   * <pre>{@code
   * ImageResult r = images().prompt("a red fox").generate();
   * r.cost().ifPresent(usd -> System.out.println("about $" + usd));
   * }</pre>
   */
  public Optional<BigDecimal> cost() {
    return Costs.of(prices, model(), usage, images.size(), size(), quality != null ? quality : request.quality(),
        !request.images().isEmpty());
  }

  /** When the server made the images ({@code created}). */
  public Instant created() {
    return created;
  }

  /** Token usage (GPT image models), or {@code null}. */
  public Usage usage() {
    return usage;
  }

  /** The size the server reports, else the size of the first image, else the size asked for. */
  public String size() {
    if (size != null) {
      return size;
    }
    if (!images.isEmpty() && images.get(0).width() > 0) {
      return images.get(0).width() + "x" + images.get(0).height();
    }
    return request.size();
  }

  /** The quality the server reports, or {@code null}. */
  public String quality() {
    return quality;
  }

  /** The background the server reports, or {@code null}. */
  public String background() {
    return background;
  }

  /** The output format the server reports, or {@code null}. */
  public String outputFormat() {
    return outputFormat;
  }

  /** The prompt the model actually used, if it rewrote it (dall-e-3), or {@code null}. */
  public String revisedPrompt() {
    return images.isEmpty() ? null : images.get(0).revisedPrompt();
  }

  /** The server's {@code x-request-id}, or {@code null}. */
  public String requestId() {
    return requestId;
  }

  /** Time from sending the request to having every image in memory. */
  public Duration elapsed() {
    return elapsed;
  }

  /** Saves every image into {@code directory} under names made from the prompt; see {@link GeneratedImage#saveTo}. */
  public List<Path> saveTo(Path directory) {
    return images.stream().map(image -> image.saveTo(directory)).toList();
  }

  /**
   * The images as one picture: the image itself when there is one, else a grid of the images
   * side by side (up to four a row), each numbered from 1 above it. Java notebook kernels
   * (IJava, the Kotlin kernel) and Swing show a {@code BufferedImage} as a picture:
   *
   * <pre>{@code
   * images().prompt("a red fox").n(3).generate().toBufferedImage()   // last line of a cell: 3 foxes
   * }</pre>
   *
   * @throws ImagineException when there is no image or one cannot be decoded (see {@link GeneratedImage#toBufferedImage()})
   */
  public BufferedImage toBufferedImage() {
    image(); // fails, saying there is no image, when there is none
    return ImageGrid.picture(images);
  }

  @Override
  public String toString() {
    long bytes = images.stream().mapToLong(GeneratedImage::size).sum();
    StringBuilder s = new StringBuilder("ImageResult[")
        .append(images.size()).append(images.size() == 1 ? " image, " : " images, ")
        .append(model()).append(", ").append(size()).append(", ")
        .append(String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0)).append(", ")
        .append(ImageFormats.humanSize(bytes));
    if (usage != null) {
      s.append(", ").append(usage.totalTokens()).append(" tokens");
    }
    if (requestId != null) {
      s.append(", request ").append(requestId);
    }
    return s.append(']').toString();
  }
}
