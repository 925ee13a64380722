package dev.imagine.internal.http;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/** Sends images requests over the Vert.x Web Client. (Work in progress.) */
public final class ImagesTransport {
  private final ClientConfig config;

  public ImagesTransport(ClientConfig config) {
    this.config = config;
  }

  public Future<ImageResult> send(ImageRequest request, Consumer<GeneratedImage> onPartial) {
    return Future.failedFuture(new UnsupportedOperationException("not yet"));
  }

  public <T> T await(Future<T> future) {
    return future.await();
  }

  public Vertx vertx() {
    return config.vertx();
  }

  public void close() {}
}
