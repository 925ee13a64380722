package dev.imagine;

import java.util.Objects;

/**
 * The entry point: {@code import static dev.imagine.Images.images;} and every option is one
 * completion away.
 *
 * <pre>{@code
 * ImageResult r = images().prompt("A colorful sunset over the mountains").model("dall-e-3").size("1024x1024").generate();
 * r.image().save(Path.of("sunset.png"));
 * }</pre>
 *
 * {@link #images()} uses a shared default {@link ImagesClient}, built on first use from the system
 * properties {@code openai.apiKey}/{@code openai.baseUrl} or the environment variables
 * {@code OPENAI_API_KEY}/{@code OPENAI_BASE_URL}. Use {@link ImagesClient#images()} to pick a client.
 */
public final class Images {
  private static ImagesClient defaultClient;

  private Images() {}

  /**
   * Starts a generation on the default client, with n 1, size {@code 1024x1024} and the client's
   * default model (the best live model the server lists, else gpt-image-2).
   */
  public static ImageGeneration images() {
    return new ImageGeneration(null, ImageRequest.builder().build());
  }

  /**
   * Starts a generation from a request made earlier, on the default client: the same request
   * again, or changed, e.g. {@code images(ImageRequest.fromImage(file)).quality("high").generate()}.
   */
  public static ImageGeneration images(ImageRequest request) {
    return new ImageGeneration(null, Objects.requireNonNull(request, "request"));
  }

  /** The shared default client, built on first use from system properties and the environment. */
  public static synchronized ImagesClient defaultClient() {
    if (defaultClient == null) {
      defaultClient = ImagesClient.create();
    }
    return defaultClient;
  }

  /**
   * Replaces the shared default client (the REPL does so to switch servers) and returns the old
   * one, which the caller may close; {@code null} when none had been built.
   */
  public static synchronized ImagesClient setDefaultClient(ImagesClient client) {
    ImagesClient old = defaultClient;
    defaultClient = Objects.requireNonNull(client, "client");
    return old;
  }
}
