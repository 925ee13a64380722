package dev.imagine.internal.batch;

import dev.imagine.batch.BatchProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Shows a batch's progress: on a terminal one bar redrawn in place at most five times a second;
 * elsewhere (a log, CI) a plain line at each tenth of the way and at least every 10 seconds.
 */
public final class ProgressPrinter implements Consumer<BatchProgress> {
  private static final long BAR_EVERY_NANOS = 200_000_000L;
  private static final long PLAIN_EVERY_NANOS = 10_000_000_000L;
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean terminal;
  private long lastPrint;
  private int lastTenth = -1;
  private boolean drewBar;
  private boolean printedLast;
  private boolean finished;

  public ProgressPrinter(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public synchronized void accept(BatchProgress p) {
    if (finished) {
      return; // the summary is being printed: a late snapshot must not draw over it
    }
    long now = System.nanoTime();
    boolean last = p.finished() >= p.total() && p.inFlight() == 0;
    if (terminal) {
      if (last || lastPrint == 0 || now - lastPrint >= BAR_EVERY_NANOS) {
        out.print("\r\u001b[2K" + bar(p) + line(p));
        out.flush();
        drewBar = true;
        lastPrint = now;
      }
      return;
    }
    int tenth = p.total() == 0 ? 10 : p.finished() * 10 / p.total();
    if (tenth != lastTenth || now - lastPrint >= PLAIN_EVERY_NANOS || (last && !printedLast)) {
      printedLast = last;
      out.println(line(p));
      out.flush();
      lastTenth = tenth;
      lastPrint = now;
    }
  }

  /** Ends the bar's line, so what follows starts on a fresh one. */
  public synchronized void finish() {
    finished = true;
    if (drewBar) {
      out.println();
      out.flush();
      drewBar = false;
    }
  }

  private static String bar(BatchProgress p) {
    int filled = p.total() == 0 ? BAR_WIDTH : (int) ((long) p.finished() * BAR_WIDTH / p.total());
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] ";
  }

  /** {@code 12/40 saved · 1 failed · 8 in flight · 3.2 img/s · $0.48 · ETA 9 s}. */
  public static String line(BatchProgress p) {
    StringBuilder s = new StringBuilder().append(p.saved()).append('/').append(p.total()).append(" saved");
    if (p.failed() > 0) {
      s.append(" · ").append(p.failed()).append(" failed");
    }
    if (p.unknown() > 0) {
      s.append(" · ").append(p.unknown()).append(" unknown");
    }
    s.append(" · ").append(p.inFlight()).append(" in flight");
    s.append(String.format(Locale.ROOT, " · %.1f img/s", p.imagesPerSecond()));
    p.cost().ifPresent(c -> s.append(" · ").append(Summaries.dollars(c)));
    eta(p).ifPresent(eta -> s.append(" · ETA ").append(eta));
    if (!"sending".equals(p.status())) {
      s.append(" · ").append(p.status());
    }
    return s.toString();
  }

  private static java.util.Optional<String> eta(BatchProgress p) {
    int left = p.total() - p.finished();
    double seconds = p.elapsed().toNanos() / 1e9;
    if (left <= 0 || p.images() == 0 || seconds <= 0) {
      return java.util.Optional.empty();
    }
    double perSecond = p.images() / seconds; // items that came back with images, this run
    long eta = (long) Math.ceil(left / Math.max(perSecond, 1e-9));
    Duration d = Duration.ofSeconds(Math.min(eta, 999L * 3600));
    return java.util.Optional.of(d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min"
        : d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s");
  }
}
