package dev.imagine.repl;

import dev.imagine.repl.history.HistoryEntry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** How {@code /history} shows an entry: one line, cut to the terminal's width. */
final class HistoryLines {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  private HistoryLines() {}

  /** {@code   #42  09:41  gpt-image-1  1024x1024  $0.04  a red fox in snow} (plus a mark when the files are gone). */
  static String line(HistoryEntry e, int width, Clock clock) {
    ZonedDateTime at = e.at().atZone(clock.getZone());
    LocalDate today = LocalDate.now(clock);
    String when = at.toLocalDate().equals(today) ? TIME.format(at)
        : at.getYear() == today.getYear() ? DAY_TIME.format(at) : DATE.format(at);
    String head = String.format("  %5s  %-11s  %-16s %-9s  %6s  ", "#" + e.number(), when, cut(e.model(), 16),
        e.size() == null ? "" : e.size(), money(e.cost()));
    String mark = e.failed() ? "✗ " : e.edit() ? "edit: " : "";
    String tail = e.failed() ? "  (" + e.error() + ")" : e.filesGone() ? "  (files gone)" : e.n() > 1 ? "  (" + e.n() + " images)" : "";
    String prompt = e.prompt() == null ? "" : e.prompt().replaceAll("\\s+", " ");
    int room = Math.max(10, width - head.length() - mark.length() - Math.min(tail.length(), 40));
    return head + mark + cut(prompt, room) + cut(tail, 40);
  }

  /** {@code $0.04}, {@code $0.011}, or {@code –} when unknown. */
  static String money(BigDecimal cost) {
    if (cost == null) {
      return "–";
    }
    int scale = cost.compareTo(new BigDecimal("0.1")) < 0 && cost.signum() != 0 ? 3 : 2;
    return "$" + cost.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }

  static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
  }
}
