package dev.imagine.internal;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hears about every request any client sends, so the REPL can show progress and save each image the
 * moment it arrives, whether or not the snippet keeps the result. Callbacks run on Vert.x threads:
 * they must be quick and must not block.
 */
public interface GenerationObserver {

  /** The request is about to be sent. */
  default void started(ImageRequest request) {}

  /** A streamed partial preview arrived. */
  default void partialImage(ImageRequest request, GeneratedImage preview) {}

  /** Every image of the request is in memory. */
  default void completed(ImageRequest request, ImageResult result) {}

  /** The request failed for good (after any retries). */
  default void failed(ImageRequest request, Throwable failure) {}

  /** The registered observers, in registration order. */
  List<GenerationObserver> ALL = new CopyOnWriteArrayList<>();

  /** Registers an observer; returns a handle that removes it. */
  static AutoCloseable register(GenerationObserver observer) {
    ALL.add(observer);
    return () -> ALL.remove(observer);
  }
}
