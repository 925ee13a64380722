package dev.imagine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The fluent way to make images. Immutable: every option returns a new value, so a partly set up
 * generation can be kept and reused.
 *
 * <pre>{@code
 * import static dev.imagine.Images.images;
 *
 * ImageResult r = images().prompt("A colorful sunset over the mountains")
 *     .size("1536x1024").quality(Quality.HIGH).generate();   // the server's best model: gpt-image-2
 * r.image().save(Path.of("sunset.png"));
 *
 * var fox = images().model(Model.GPT_IMAGE_2_5_FLARE).size(1536, 1024);
 * fox.prompt("a red fox in snow").generate();
 * fox.prompt("a red fox in rain").n(2).generateAsync().onSuccess(System.out::println);
 *
 * images().edit(r.image().asInput()).prompt("add a hot air balloon").generate();
 * }</pre>
 *
 * Options map one to one to the API's fields; see {@link ImageRequest.Builder} for each. The
 * request is checked against its model's rules before anything is sent.
 */
public final class ImageGeneration {
  private final ImagesClient client;
  private final ImageRequest request;

  ImageGeneration(ImagesClient client, ImageRequest request) {
    this.client = client;
    this.request = request;
  }

  private ImageGeneration with(UnaryOperator<ImageRequest.Builder> change) {
    return new ImageGeneration(client, change.apply(request.toBuilder()).build());
  }

  public ImageGeneration prompt(String prompt) { return with(b -> b.prompt(prompt)); }
  public ImageGeneration model(String model) { return with(b -> b.model(model)); }
  public ImageGeneration n(int n) { return with(b -> b.n(n)); }
  public ImageGeneration size(String size) { return with(b -> b.size(size)); }
  public ImageGeneration size(int width, int height) { return with(b -> b.size(width, height)); }
  public ImageGeneration quality(String quality) { return with(b -> b.quality(quality)); }
  public ImageGeneration style(String style) { return with(b -> b.style(style)); }
  public ImageGeneration responseFormat(String responseFormat) { return with(b -> b.responseFormat(responseFormat)); }
  public ImageGeneration outputFormat(String outputFormat) { return with(b -> b.outputFormat(outputFormat)); }
  public ImageGeneration outputCompression(int outputCompression) { return with(b -> b.outputCompression(outputCompression)); }
  public ImageGeneration background(String background) { return with(b -> b.background(background)); }
  public ImageGeneration moderation(String moderation) { return with(b -> b.moderation(moderation)); }
  public ImageGeneration user(String user) { return with(b -> b.user(user)); }
  public ImageGeneration inputFidelity(String inputFidelity) { return with(b -> b.inputFidelity(inputFidelity)); }

  /** Streams the answer with {@code partialImages} (0 to 3) previews; see {@link #onPartialImage}. */
  public ImageGeneration stream(int partialImages) { return with(b -> b.partialImages(partialImages)); }

  /** Edits these images instead of generating from nothing ({@code /images/edits}). */
  public ImageGeneration edit(ImageInput... images) {
    return with(b -> {
      b.clearImages();
      for (ImageInput image : images) {
        b.image(image);
      }
      return b;
    });
  }

  /** Edits images made earlier, e.g. {@code images().edit(last()).prompt("add a hat")} in the REPL. */
  public ImageGeneration edit(GeneratedImage image, GeneratedImage... more) {
    List<ImageInput> inputs = new ArrayList<>();
    inputs.add(image.asInput());
    for (GeneratedImage g : more) {
      inputs.add(g.asInput());
    }
    return edit(inputs.toArray(ImageInput[]::new));
  }

  /** The mask of an edit: transparent pixels mark the area to change. */
  public ImageGeneration mask(ImageInput mask) { return with(b -> b.mask(mask)); }

  /** A body field sent as it is, for reseller options. */
  public ImageGeneration extraBody(String name, Object value) { return with(b -> b.extraBody(name, value)); }

  /** An HTTP header for this request. */
  public ImageGeneration header(String name, String value) { return with(b -> b.header(name, value)); }

  /** Sends through another client (another server or key). */
  public ImageGeneration client(ImagesClient client) { return new ImageGeneration(client, request); }

  /** The request as it would be sent. */
  public ImageRequest request() {
    return request;
  }

  /**
   * Sends the request and waits for the images. Interrupting the waiting thread cancels the HTTP
   * request (the REPL's Ctrl-C does that).
   *
   * @throws InvalidRequestException when the request breaks a rule of its model (nothing sent)
   * @throws ApiException and the other {@link ImagineException}s when it fails
   * @throws IllegalStateException on a Vert.x event loop, which must never block
   */
  public ImageResult generate() {
    return generate(null);
  }

  /**
   * As {@link #generate()}, handing each streamed partial preview to {@code onPartialImage} as it
   * arrives (with {@link #stream(int)}). The callback runs on a Vert.x thread: keep it quick.
   */
  public ImageResult generate(Consumer<GeneratedImage> onPartialImage) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("generate() blocks and must not run on a Vert.x event loop; use generateAsync()");
    }
    return client().generateAndWait(request, onPartialImage);
  }

  /**
   * What this request would cost, before sending: see {@link ImagesClient#estimate(ImageRequest)}.
   *
   * <pre>{@code
   * images().prompt("a red fox").model(Model.GPT_IMAGE_2).quality(Quality.HIGH).n(4).estimate(); // Optional[0.499215]
   * }</pre>
   */
  public Optional<BigDecimal> estimate() {
    return client().estimate(request);
  }

  /** What this request would cost through the Batch API (half price): see {@link ImagesClient#estimateBatch(ImageRequest)}. */
  public Optional<BigDecimal> estimateBatch() {
    return client().estimateBatch(request);
  }

  /** Sends the request without blocking; the future fails with the same exceptions {@link #generate()} throws. */
  public Future<ImageResult> generateAsync() {
    return client().generate(request, null);
  }

  /** {@link #generateAsync()} as a {@link CompletionStage}, for code outside Vert.x. */
  public CompletionStage<ImageResult> generateStage() {
    return generateAsync().toCompletionStage();
  }

  /**
   * A batch of images, one item per prompt, each with this generation's other options:
   * {@code images().model("gpt-image-1").size("1024x1024").batch(prompts).out(Path.of("out")).run()}.
   * See {@link dev.imagine.batch.Batch}.
   */
  public dev.imagine.batch.Batch batch(java.util.List<String> prompts) {
    java.util.Objects.requireNonNull(prompts, "prompts");
    java.util.List<ImageRequest> items = prompts.stream().map(p -> request.toBuilder().prompt(p).build()).toList();
    dev.imagine.batch.Batch b = dev.imagine.batch.Batch.of(items);
    return client == null ? b : b.client(client);
  }

  private ImagesClient client() {
    return client != null ? client : Images.defaultClient();
  }

  @Override
  public String toString() {
    return "ImageGeneration" + request.toString().substring("ImageRequest".length());
  }
}
