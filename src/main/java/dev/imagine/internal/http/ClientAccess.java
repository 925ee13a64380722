package dev.imagine.internal.http;

import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagesClient;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.function.Function;

/**
 * Lets the library's own packages (batches) reach a client's transport, and send with a listener
 * of their own, without a public method on {@link ImagesClient}: the client registers the
 * accessors when its class loads.
 */
public final class ClientAccess {
  /**
   * {@code ImagesClient.generate} with a listener for this call alone and where its images go as
   * they decode (see {@link ImagesTransport#send}).
   */
  public interface Generate {
    Future<ImageResult> generate(ImagesClient client, ImageRequest request, GenerationListener callListener,
        ImageDestination destination);
  }

  private static volatile Function<ImagesClient, ImagesTransport> access;
  private static volatile Generate generate;

  private ClientAccess() {}

  /** Called once, by {@link ImagesClient}. */
  public static void register(Function<ImagesClient, ImagesTransport> accessor, Generate generator) {
    access = Objects.requireNonNull(accessor, "accessor");
    generate = Objects.requireNonNull(generator, "generator");
  }

  /** The transport of a client (its class is loaded: it exists). */
  public static ImagesTransport transport(ImagesClient client) {
    return access.apply(client);
  }

  /**
   * As {@link ImagesClient#generate(ImageRequest)}, with {@code callListener} hearing this call's
   * events too, and its images going to {@code destination} as they decode (memory when null).
   */
  public static Future<ImageResult> generate(ImagesClient client, ImageRequest request, GenerationListener callListener,
      ImageDestination destination) {
    return generate.generate(client, request, callListener, destination);
  }
}
