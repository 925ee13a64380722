package dev.imagine;

import java.time.Duration;

/**
 * Hears about every request one {@link ImagesClient} sends, as OkHttp's {@code EventListener}
 * does: to show progress, save each image the moment it arrives, log, or count. Every method has
 * an empty default body, so a listener overrides only what it needs. Register any number, called
 * in order, with {@link ImagesClient.Builder#listener(GenerationListener)}:
 *
 * <pre>{@code
 * ImagesClient client = ImagesClient.builder()
 *     .listener(new GenerationListener() {
 *       @Override public void completed(ImageRequest request, ImageResult result) {
 *         System.out.println("done: " + result);
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>Methods are called on Vert.x threads: they must be quick and must never block (hand slow
 * work, such as writing files, to a thread of your own). An exception a listener throws is
 * logged and ignored; it never fails the request.
 */
public interface GenerationListener {

  /** The request passed its checks and is about to be sent (once per request, not per attempt). */
  default void started(ImageRequest request) {}

  /** A streamed partial preview arrived. */
  default void partialImage(ImageRequest request, GeneratedImage preview) {}

  /** Every image of the request is in memory. */
  default void completed(ImageRequest request, ImageResult result) {}

  /** The request failed for good (after any retries), or was cancelled. */
  default void failed(ImageRequest request, Throwable failure) {}

  /**
   * Attempt {@code attempt} failed with {@code cause} and the request will be sent again after
   * {@code delay}; {@code attempt} counts from 1 (the first retry follows attempt 1).
   */
  default void retrying(ImageRequest request, int attempt, Duration delay, Throwable cause) {}
}
