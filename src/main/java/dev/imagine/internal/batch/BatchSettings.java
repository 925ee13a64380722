package dev.imagine.internal.batch;

import dev.imagine.ImagesClient;
import dev.imagine.batch.BatchProgress;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The options of a batch run.
 *
 * @param budget the most this run may spend by estimate, in US dollars, or null for no limit
 * @param retryUnknown whether items of unknown outcome are sent again
 * @param client the client to send through, or null for the default client
 * @param onProgress called with each progress snapshot, or null
 */
public record BatchSettings(Path out, int concurrency, BigDecimal budget, boolean retryUnknown, ImagesClient client,
    Consumer<BatchProgress> onProgress) {
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int MAX_CONCURRENCY = 1024;

  public static BatchSettings defaults() {
    return new BatchSettings(Path.of("imagine-batch"), DEFAULT_CONCURRENCY, null, false, null, null);
  }

  public BatchSettings withOut(Path out) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress);
  }

  public BatchSettings withConcurrency(int concurrency) {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", not " + concurrency);
    }
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress);
  }

  public BatchSettings withBudget(BigDecimal budget) {
    if (budget != null && budget.signum() <= 0) {
      throw new IllegalArgumentException("budget must be more than 0 dollars, not " + budget.toPlainString());
    }
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress);
  }

  public BatchSettings withRetryUnknown(boolean retryUnknown) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress);
  }

  public BatchSettings withClient(ImagesClient client) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress);
  }

  public BatchSettings withProgress(Consumer<BatchProgress> onProgress) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress);
  }
}
