package dev.imagine.batch;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a running {@link Batch}, handed to {@link Batch#onProgress} as items go out and
 * come back.
 *
 * <pre>{@code
 * batch.onProgress(p -> System.out.println(p.finished() + "/" + p.total() + " " + p.imagesPerSecond() + " img/s"));
 * }</pre>
 *
 * @param total items in the batch
 * @param saved items whose images are saved (earlier runs included)
 * @param failed items that failed in this run
 * @param unknown items whose outcome is unknown (earlier runs included)
 * @param inFlight requests out now, or items in a provider batch still being worked on
 * @param images images saved in this run
 * @param elapsed time since this run started
 * @param cost the estimated cost of what was sent in this run, when the price is known
 * @param status a word on the run: {@code sending}, {@code paused} (rate limited), or a provider
 *     batch's status such as {@code in_progress}
 */
public record BatchProgress(int total, int saved, int failed, int unknown, int inFlight, int images,
    Duration elapsed, Optional<BigDecimal> cost, String status) {

  /** Items with an outcome: saved, failed or unknown. */
  public int finished() {
    return saved + failed + unknown;
  }

  /** Images saved per second in this run. */
  public double imagesPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : images / s;
  }
}
