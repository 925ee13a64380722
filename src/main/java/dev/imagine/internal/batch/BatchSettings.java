package dev.imagine.internal.batch;

import dev.imagine.ImagesClient;
import dev.imagine.batch.BatchProgress;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The options of a batch run.
 *
 * @param budget the most this run may spend by estimate, in US dollars, or null for no limit
 * @param retryUnknown whether items of unknown outcome are sent again
 * @param client the client to send through, or null for the default client
 * @param onProgress called with each progress snapshot, or null
 * @param viaBatchApi hand the work to the provider's Batch API instead of sending it directly
 * @param pollInterval the first wait between looks at a provider batch (it grows to 30 times that)
 * @param maxBatchRequests the most requests in one provider batch (the API allows 50,000)
 * @param maxBatchBytes the largest input file of one provider batch (the API allows 200 MB)
 */
public record BatchSettings(Path out, int concurrency, BigDecimal budget, boolean retryUnknown, ImagesClient client,
    Consumer<BatchProgress> onProgress, boolean viaBatchApi, Duration pollInterval, int maxBatchRequests,
    long maxBatchBytes) {
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int MAX_CONCURRENCY = 1024;
  public static final int MAX_BATCH_REQUESTS = 50_000;
  public static final long MAX_BATCH_BYTES = 200L * 1000 * 1000;

  public static BatchSettings defaults() {
    return new BatchSettings(Path.of("imagine-batch"), DEFAULT_CONCURRENCY, null, false, null, null, false,
        Duration.ofSeconds(2), MAX_BATCH_REQUESTS, MAX_BATCH_BYTES);
  }

  public BatchSettings withOut(Path out) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withConcurrency(int concurrency) {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", not " + concurrency);
    }
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withBudget(BigDecimal budget) {
    if (budget != null && budget.signum() <= 0) {
      throw new IllegalArgumentException("budget must be more than 0 dollars, not " + budget.toPlainString());
    }
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withRetryUnknown(boolean retryUnknown) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withClient(ImagesClient client) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withProgress(Consumer<BatchProgress> onProgress) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withBatchApi(boolean viaBatchApi) {
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withPollInterval(Duration pollInterval) {
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, not " + pollInterval);
    }
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxBatchRequests, maxBatchBytes);
  }

  public BatchSettings withBatchLimits(int maxRequests, long maxBytes) {
    if (maxRequests < 1 || maxRequests > MAX_BATCH_REQUESTS || maxBytes < 1024 || maxBytes > MAX_BATCH_BYTES) {
      throw new IllegalArgumentException("batch limits must be 1 to " + MAX_BATCH_REQUESTS + " requests and 1 KB to "
          + MAX_BATCH_BYTES + " bytes, not " + maxRequests + " and " + maxBytes);
    }
    return new BatchSettings(out, concurrency, budget, retryUnknown, client, onProgress, viaBatchApi, pollInterval,
        maxRequests, maxBytes);
  }
}
