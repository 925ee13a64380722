package dev.imagine.internal.http;

import dev.imagine.GeneratedImage;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A client's listeners, called in order; one that throws is logged and skipped, never failing the call. */
final class Listeners implements GenerationListener {
  private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
  private final List<GenerationListener> all;

  Listeners(List<GenerationListener> all) {
    this.all = List.copyOf(all);
  }

  private void each(Consumer<GenerationListener> call) {
    for (GenerationListener l : all) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "GenerationListener " + l.getClass().getName() + " threw "
            + e.getClass().getName() + "; ignored");
      }
    }
  }

  @Override
  public void started(ImageRequest request) {
    each(l -> l.started(request));
  }

  @Override
  public void partialImage(ImageRequest request, GeneratedImage preview) {
    each(l -> l.partialImage(request, preview));
  }

  @Override
  public void completed(ImageRequest request, ImageResult result) {
    each(l -> l.completed(request, result));
  }

  @Override
  public void failed(ImageRequest request, Throwable failure) {
    each(l -> l.failed(request, failure));
  }

  @Override
  public void retrying(ImageRequest request, int attempt, Duration delay, Throwable cause) {
    each(l -> l.retrying(request, attempt, delay, cause));
  }
}
