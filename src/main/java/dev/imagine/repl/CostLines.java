package dev.imagine.repl;

import dev.imagine.repl.history.History.Totals;
import java.math.BigDecimal;
import java.util.List;

/** How {@code /cost} shows a period's totals: one line per model, then the sum. */
final class CostLines {
  private CostLines() {}

  /**
   * <pre>
   *   this session: 3 generations · 5 images · $0.21
   *     gpt-image-2        2 generations  4 images   $0.17
   *     my-local-model     1 generation   1 image    cost unknown
   * </pre>
   */
  static String table(String period, List<Totals> totals) {
    if (totals.isEmpty()) {
      return "  " + period + ": no generations\n";
    }
    int generations = 0, images = 0, unpriced = 0;
    BigDecimal cost = BigDecimal.ZERO;
    StringBuilder lines = new StringBuilder();
    for (Totals t : totals) {
      generations += t.generations();
      images += t.images();
      unpriced += t.unpriced();
      cost = cost.add(t.cost());
      lines.append(String.format("    %-18s %-15s %-10s %s\n", HistoryLines.cut(t.model(), 18),
          count(t.generations(), "generation"), count(t.images(), "image"), money(t.cost(), t.unpriced(), t.generations())));
    }
    return "  " + period + ": " + count(generations, "generation") + " · " + count(images, "image") + " · "
        + money(cost, unpriced, generations) + "\n" + lines;
  }

  /** {@code $0.17}; {@code cost unknown} when nothing was priced; {@code $0.17 + 1 unpriced} when some were not. */
  private static String money(BigDecimal cost, int unpriced, int generations) {
    if (unpriced == generations) {
      return "cost unknown";
    }
    return HistoryLines.money(cost) + (unpriced == 0 ? "" : " + " + unpriced + " unpriced");
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
