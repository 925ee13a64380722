package dev.imagine;

import dev.imagine.internal.http.Headers;
import dev.imagine.internal.metadata.EmbeddedMetadata;
import dev.imagine.internal.metadata.GenerationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.rules.ModelRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable images request: what to make and how. Build one with {@link #builder()}, change a
 * copy with {@link #toBuilder()}. The fluent {@link ImageGeneration} (from {@code Images.images()})
 * builds these for you.
 *
 * <pre>{@code
 * ImageRequest request = ImageRequest.builder()
 *     .prompt("A colorful sunset over the mountains")
 *     .model(Model.DALL_E_3)
 *     .size(Size.SQUARE_1024)
 *     .build();
 * ImageRequest hd = request.toBuilder().quality(Quality.HD).build();
 * }</pre>
 *
 * <p>The fields the seed server requires are always sent: n (default 1), size (default
 * {@code 1024x1024}) and model. A request without a model goes to the client's
 * {@link ImagesClient#defaultModel()}: the best live model the server lists, else gpt-image-2.
 * Every other field is sent only when set.
 * With {@link Builder#image(ImageInput)} the request becomes an edit ({@code /images/edits}).
 */
public final class ImageRequest {
  /** The size used when none is set. */
  public static final String DEFAULT_SIZE = Size.SQUARE_1024;

  private final String prompt;
  private final String model;
  private final int n;
  private final String size;
  private final String quality;
  private final String style;
  private final String responseFormat;
  private final String outputFormat;
  private final Integer outputCompression;
  private final String background;
  private final String moderation;
  private final String user;
  private final String inputFidelity;
  private final Integer partialImages;
  private final List<ImageInput> images;
  private final ImageInput mask;
  private final Map<String, Object> extraBody;
  private final Map<String, String> headers;

  private ImageRequest(Builder b) {
    this.prompt = b.prompt;
    this.model = b.model;
    this.n = b.n;
    this.size = b.size;
    this.quality = b.quality;
    this.style = b.style;
    this.responseFormat = b.responseFormat;
    this.outputFormat = b.outputFormat;
    this.outputCompression = b.outputCompression;
    this.background = b.background;
    this.moderation = b.moderation;
    this.user = b.user;
    this.inputFidelity = b.inputFidelity;
    this.partialImages = b.partialImages;
    this.images = List.copyOf(b.images);
    this.mask = b.mask;
    this.extraBody = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraBody));
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
  }

  /** A builder with the defaults: n 1, size {@code 1024x1024}, no model (the client's default). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The request that made an image imagine saved: imagine writes it into every image file it saves
   * (a PNG {@code iTXt} chunk, a JPEG comment, WebP XMP, keyword {@code imagine}), so a picture a
   * colleague shared can be made again or varied. Edited input images, extra body values and
   * header values are never written into a file, so they are not in the request.
   *
   * <pre>{@code
   * ImageRequest again = ImageRequest.fromImage(Path.of("001-a-red-fox-in-snow.png"));
   * ImagesClient.create().generate(again.toBuilder().quality("high").build());
   * }</pre>
   *
   * @throws java.io.UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException when the file carries no imagine metadata
   */
  public static ImageRequest fromImage(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String json = EmbeddedMetadata.read(bytes).orElseThrow(() -> new IllegalArgumentException(file
        + " carries no imagine metadata: it was not saved by imagine, or a tool removed its metadata"));
    return GenerationRecord.requestOfRecord(json, file.toString());
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Checks the request against the rules of its model (prompt length, n, size, fields the model
   * rejects). Unknown models pass: the server decides.
   *
   * @return this request
   * @throws InvalidRequestException naming the field, the value and what is allowed
   */
  public ImageRequest validate() {
    ModelRules.check(params(), false).ifPresent(v -> {
      throw new InvalidRequestException(v.param(), v.message());
    });
    if (mask != null && images.isEmpty()) {
      throw new InvalidRequestException("mask", "a mask needs an image to edit: add image(...)");
    }
    return this;
  }

  /** The fields the per-model rules look at. */
  ImageParams params() {
    return new ImageParams(endpoint(), prompt, model, n, size, quality, style, responseFormat,
        outputFormat, outputCompression, background, moderation, inputFidelity,
        partialImages == null ? null : Boolean.TRUE, partialImages);
  }

  /** {@code GENERATIONS}, or {@code EDITS} when the request carries images. */
  ImageParams.Endpoint endpoint() {
    return images.isEmpty() ? ImageParams.Endpoint.GENERATIONS : ImageParams.Endpoint.EDITS;
  }

  public String prompt() { return prompt; }
  /** The model set, or {@code null} for the client's {@link ImagesClient#defaultModel()}. */
  public String model() { return model; }
  public int n() { return n; }
  public String size() { return size; }
  public String quality() { return quality; }
  public String style() { return style; }
  public String responseFormat() { return responseFormat; }
  public String outputFormat() { return outputFormat; }
  public Integer outputCompression() { return outputCompression; }
  public String background() { return background; }
  public String moderation() { return moderation; }
  public String user() { return user; }
  public String inputFidelity() { return inputFidelity; }
  /** Partial previews asked for when streaming, or {@code null} when not streaming. */
  public Integer partialImages() { return partialImages; }
  /** The images to edit; empty for a generation. */
  public List<ImageInput> images() { return images; }
  public ImageInput mask() { return mask; }
  /** Extra body fields sent as they are (reseller options). */
  public Map<String, Object> extraBody() { return extraBody; }
  /** Extra HTTP headers for this request. */
  public Map<String, String> headers() { return headers; }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ImageRequest{model=").append(model)
        .append(", size=").append(size).append(", n=").append(n);
    appendIfSet(s, "quality", quality);
    appendIfSet(s, "style", style);
    appendIfSet(s, "response_format", responseFormat);
    appendIfSet(s, "output_format", outputFormat);
    appendIfSet(s, "output_compression", outputCompression);
    appendIfSet(s, "background", background);
    appendIfSet(s, "moderation", moderation);
    appendIfSet(s, "partial_images", partialImages);
    if (!images.isEmpty()) {
      s.append(", images=").append(images);
    }
    appendIfSet(s, "mask", mask);
    if (!extraBody.isEmpty()) {
      s.append(", extraBody=").append(extraBody.keySet());
    }
    if (!headers.isEmpty()) {
      s.append(", headers=").append(headers.keySet()); // values may be secrets
    }
    s.append(", prompt=").append(prompt == null ? "null" : '"' + abbreviate(prompt, 60) + '"');
    return s.append('}').toString();
  }

  private static void appendIfSet(StringBuilder s, String name, Object value) {
    if (value != null) {
      s.append(", ").append(name).append('=').append(value);
    }
  }

  static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageRequest r && n == r.n && Objects.equals(prompt, r.prompt)
        && Objects.equals(model, r.model) && Objects.equals(size, r.size)
        && Objects.equals(quality, r.quality) && Objects.equals(style, r.style)
        && Objects.equals(responseFormat, r.responseFormat) && Objects.equals(outputFormat, r.outputFormat)
        && Objects.equals(outputCompression, r.outputCompression) && Objects.equals(background, r.background)
        && Objects.equals(moderation, r.moderation) && Objects.equals(user, r.user)
        && Objects.equals(inputFidelity, r.inputFidelity) && Objects.equals(partialImages, r.partialImages)
        && images.equals(r.images) && Objects.equals(mask, r.mask)
        && extraBody.equals(r.extraBody) && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prompt, model, n, size, quality, style, responseFormat, outputFormat,
        outputCompression, background, moderation, user, inputFidelity, partialImages, images, mask,
        extraBody, headers);
  }

  /** A mutable builder of {@link ImageRequest}; not thread-safe. */
  public static final class Builder {
    private String prompt;
    private String model;
    private int n = 1;
    private String size = DEFAULT_SIZE;
    private String quality;
    private String style;
    private String responseFormat;
    private String outputFormat;
    private Integer outputCompression;
    private String background;
    private String moderation;
    private String user;
    private String inputFidelity;
    private Integer partialImages;
    private final List<ImageInput> images = new ArrayList<>();
    private ImageInput mask;
    private final Map<String, Object> extraBody = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    private Builder(ImageRequest r) {
      prompt = r.prompt;
      model = r.model;
      n = r.n;
      size = r.size;
      quality = r.quality;
      style = r.style;
      responseFormat = r.responseFormat;
      outputFormat = r.outputFormat;
      outputCompression = r.outputCompression;
      background = r.background;
      moderation = r.moderation;
      user = r.user;
      inputFidelity = r.inputFidelity;
      partialImages = r.partialImages;
      images.addAll(r.images);
      mask = r.mask;
      extraBody.putAll(r.extraBody);
      headers.putAll(r.headers);
    }

    /** What to draw. Limits: 1,000 characters (dall-e-2), 4,000 (dall-e-3), 32,000 (GPT image). */
    public Builder prompt(String prompt) { this.prompt = prompt; return this; }

    /**
     * The model id, e.g. {@link Model#GPT_IMAGE_2}; any string is accepted. {@code null} leaves the
     * choice to the client ({@link ImagesClient#defaultModel()}).
     */
    public Builder model(String model) { this.model = model; return this; }

    /** How many images, 1 to 10 (dall-e-3: 1). */
    public Builder n(int n) { this.n = n; return this; }

    /** {@code WIDTHxHEIGHT} or {@code auto}, e.g. {@link Size#SQUARE_1024}. */
    public Builder size(String size) { this.size = Objects.requireNonNull(size, "size"); return this; }

    /** {@code size(1536, 1024)} is {@code size("1536x1024")}. */
    public Builder size(int width, int height) { return size(Size.of(width, height)); }

    /** e.g. {@link Quality#HIGH} (GPT image) or {@link Quality#HD} (dall-e-3). */
    public Builder quality(String quality) { this.quality = quality; return this; }

    /** {@link Style#VIVID} or {@link Style#NATURAL}; dall-e-3 only. */
    public Builder style(String style) { this.style = style; return this; }

    /** {@link ResponseFormat#URL} or {@link ResponseFormat#B64_JSON}; DALL·E only. */
    public Builder responseFormat(String responseFormat) { this.responseFormat = responseFormat; return this; }

    /** {@link OutputFormat#PNG}, {@code JPEG} or {@code WEBP}; GPT image only. */
    public Builder outputFormat(String outputFormat) { this.outputFormat = outputFormat; return this; }

    /** 0 to 100, for jpeg and webp output; GPT image only. */
    public Builder outputCompression(Integer outputCompression) { this.outputCompression = outputCompression; return this; }

    /** {@link Background#TRANSPARENT}, {@code OPAQUE} or {@code AUTO}; GPT image only. */
    public Builder background(String background) { this.background = background; return this; }

    /** {@link Moderation#LOW} or {@code AUTO}; GPT image only. */
    public Builder moderation(String moderation) { this.moderation = moderation; return this; }

    /** An id of your end user, passed to the provider for abuse monitoring. */
    public Builder user(String user) { this.user = user; return this; }

    /** {@code high} or {@code low}: how closely an edit keeps the input's details (not gpt-image-2). */
    public Builder inputFidelity(String inputFidelity) { this.inputFidelity = inputFidelity; return this; }

    /**
     * Streams the answer with this many partial previews (0 to 3); GPT image only. {@code null}
     * turns streaming off.
     */
    public Builder partialImages(Integer partialImages) { this.partialImages = partialImages; return this; }

    /** Adds an image to edit (up to 16); the request goes to {@code /images/edits}. */
    public Builder image(ImageInput image) { images.add(Objects.requireNonNull(image, "image")); return this; }

    /** Removes the images to edit: the request becomes a generation again. */
    public Builder clearImages() { images.clear(); mask = null; return this; }

    /** A PNG the size of the first image whose transparent pixels mark where to edit. */
    public Builder mask(ImageInput mask) { this.mask = mask; return this; }

    /**
     * Adds a body field sent as it is, for options a reseller supports that this API does not name.
     * A value of {@code null} removes the field.
     */
    public Builder extraBody(String name, Object value) {
      Objects.requireNonNull(name, "name");
      if (value == null) {
        extraBody.remove(name);
      } else {
        extraBody.put(name, value);
      }
      return this;
    }

    /** Adds an HTTP header for this request; {@code null} removes it. */
    public Builder header(String name, String value) {
      Headers.check(name, value);
      if (value == null) {
        headers.remove(name);
      } else {
        headers.put(name, value);
      }
      return this;
    }

    public ImageRequest build() {
      return new ImageRequest(this);
    }
  }
}
