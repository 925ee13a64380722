package dev.imagine.internal.batch;

import dev.imagine.batch.BatchReport;
import dev.imagine.batch.ItemOutcome;
import dev.imagine.batch.ItemOutcome.Status;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** The words a batch ends with: counts, then what is left and why. */
public final class Summaries {
  private static final int LISTED = 10;

  private Summaries() {}

  public static String report(BatchReport r) {
    StringBuilder s = new StringBuilder();
    s.append(r.with(Status.SAVED).size()).append(" of ").append(r.items().size()).append(" items saved in ")
        .append(r.out());
    List<String> rest = new java.util.ArrayList<>();
    count(rest, r, Status.FAILED, "failed");
    count(rest, r, Status.REJECTED, "rejected");
    count(rest, r, Status.UNKNOWN, "outcome unknown");
    count(rest, r, Status.NOT_SENT, "not sent");
    if (!rest.isEmpty()) {
      s.append(" (").append(String.join(", ", rest)).append(')');
    }
    s.append(String.format(Locale.ROOT, ", %.1f s", r.elapsed().toMillis() / 1000.0));
    r.cost().ifPresent(c -> s.append(", ").append(dollars(c)).append(" sent by estimate"));
    s.append('\n');
    if (r.stopReason() != null) {
      s.append("stopped: ").append(r.stopReason()).append('\n');
    }
    list(s, r, Status.FAILED, "failed, sent again by the next run");
    list(s, r, Status.REJECTED, "rejected by the server, not sent again (change the request)");
    list(s, r, Status.UNKNOWN, "outcome unknown: the connection was lost after sending, so the server may have made"
        + " and billed them; not sent again unless you ask (--retry-unknown)");
    if (!r.with(Status.NOT_SENT).isEmpty()) {
      s.append("not sent: ").append(r.with(Status.NOT_SENT).size()).append(" items, sent by the next run\n");
    }
    return s.toString();
  }

  private static void count(List<String> parts, BatchReport r, Status status, String word) {
    int n = r.with(status).size();
    if (n > 0) {
      parts.add(n + " " + word);
    }
  }

  private static void list(StringBuilder s, BatchReport r, Status status, String heading) {
    List<ItemOutcome> items = r.with(status);
    if (items.isEmpty()) {
      return;
    }
    s.append(items.size()).append(' ').append(heading).append(":\n");
    for (ItemOutcome i : items.subList(0, Math.min(LISTED, items.size()))) {
      s.append("  #").append(i.number()).append(" \"").append(RequestJson.shortPrompt(i.prompt(), 40)).append('"');
      if (i.message() != null) {
        s.append(": ").append(RequestJson.shortPrompt(i.message(), 160));
      }
      if (i.requestId() != null && (i.message() == null || !i.message().contains(i.requestId()))) {
        s.append(" (request ").append(i.requestId()).append(')');
      }
      s.append('\n');
    }
    if (items.size() > LISTED) {
      s.append("  … and ").append(items.size() - LISTED).append(" more (imagine batch --status ").append(r.out())
          .append(")\n");
    }
  }

  /** {@code $1.23}, or more digits for small sums. */
  public static String dollars(BigDecimal d) {
    int scale = d.abs().compareTo(BigDecimal.ONE) >= 0 ? 2 : 3;
    return "$" + d.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }
}
