package dev.imagine.internal.batch;

import dev.imagine.ImagesClient;
import dev.imagine.batch.BatchProgress;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The options of a batch run, checked when made.
 *
 * @param budget the most this run may spend by estimate, in US dollars, or null for no limit
 * @param retryUnknown whether items of unknown outcome are sent again
 * @param client the client to send through, or null for the default client
 * @param onProgress called with each progress snapshot, or null
 * @param provider how to use the provider's Batch API, or null to send directly
 */
public record BatchSettings(Path out, int concurrency, BigDecimal budget, boolean retryUnknown, ImagesClient client,
    Consumer<BatchProgress> onProgress, Provider provider) {
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int MAX_CONCURRENCY = 1024;

  public BatchSettings {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", not " + concurrency);
    }
    if (budget != null && budget.signum() <= 0) {
      throw new IllegalArgumentException("budget must be more than 0 dollars, not " + budget.toPlainString());
    }
  }

  /**
   * Batch API mode's options.
   *
   * @param pollInterval the first wait between looks at a batch (it grows to 30 times that, at most a minute)
   * @param maxRequests the most requests in one batch (the API allows 50,000)
   * @param maxBytes the largest input file of one batch (the API allows 200 MB)
   */
  public record Provider(Duration pollInterval, int maxRequests, long maxBytes) {
    public static final int MAX_REQUESTS = 50_000;
    public static final long MAX_BYTES = 200L * 1000 * 1000;
    public static final Provider DEFAULTS = new Provider(Duration.ofSeconds(2), MAX_REQUESTS, MAX_BYTES);

    public Provider {
      if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, not " + pollInterval);
      }
      if (maxRequests < 1 || maxRequests > MAX_REQUESTS || maxBytes < 1024 || maxBytes > MAX_BYTES) {
        throw new IllegalArgumentException("batch limits must be 1 to " + MAX_REQUESTS + " requests and 1 KB to "
            + MAX_BYTES + " bytes, not " + maxRequests + " and " + maxBytes);
      }
    }
  }

  public static BatchSettings defaults() {
    return new BatchSettings(Path.of("imagine-batch"), DEFAULT_CONCURRENCY, null, false, null, null, null);
  }

  public BatchSettings withOut(Path out) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, provider);
  }

  public BatchSettings withConcurrency(int concurrency) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, provider);
  }

  public BatchSettings withBudget(BigDecimal budget) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, provider);
  }

  public BatchSettings withRetryUnknown(boolean retryUnknown) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, provider);
  }

  public BatchSettings withClient(ImagesClient client) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, provider);
  }

  public BatchSettings withProgress(Consumer<BatchProgress> onProgress) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, provider);
  }

  /** Batch API mode with these options (null: direct mode). */
  public BatchSettings withProvider(Provider provider) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, provider);
  }

  public boolean viaBatchApi() {
    return provider != null;
  }
}
