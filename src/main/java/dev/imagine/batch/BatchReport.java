package dev.imagine.batch;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link Batch} run ended: every item's outcome, in item order.
 *
 * <pre>{@code
 * BatchReport report = batch.run();
 * if (!report.complete()) {
 *   System.out.println(report.summary()); // what is left and why
 * }
 * }</pre>
 *
 * @param items each item's outcome, in item order
 * @param out the folder the images and the journal are in
 * @param elapsed how long this run took
 * @param cost the estimated cost of what this run sent, when the price is known
 * @param stopReason why the run stopped sending before the end (budget, authentication, quota), or {@code null}
 */
public record BatchReport(List<ItemOutcome> items, Path out, Duration elapsed, Optional<BigDecimal> cost,
    String stopReason) {

  public BatchReport {
    items = List.copyOf(items);
  }

  /** Whether every item is saved. */
  public boolean complete() {
    return items.stream().allMatch(i -> i.status() == ItemOutcome.Status.SAVED);
  }

  /** The items with this status. */
  public List<ItemOutcome> with(ItemOutcome.Status status) {
    return items.stream().filter(i -> i.status() == status).toList();
  }

  /** Every image file saved for the batch, in item order. */
  public List<Path> files() {
    return items.stream().flatMap(i -> i.files().stream()).toList();
  }

  /** One paragraph: the counts, then each item left and why. */
  public String summary() {
    return dev.imagine.internal.batch.Summaries.report(this);
  }

  @Override
  public String toString() {
    return "BatchReport[" + with(ItemOutcome.Status.SAVED).size() + " of " + items.size() + " saved in " + out + "]";
  }
}
