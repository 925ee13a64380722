package dev.imagine.repl.export;

import dev.imagine.repl.export.SessionLog.Cell;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A session as a {@code .jsh} script that {@code imagine run} replays: each cell after a
 * {@code // %%} marker (Jupytext's percent format, which JJava's {@code %load} reads too), a
 * statement ended with {@code ;}. A cell that failed is kept as comments, so the replay runs
 * through.
 */
final class ScriptFormat {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private ScriptFormat() {}

  static byte[] write(List<Cell> cells, Redactor redactor, Instant exported) {
    StringBuilder out = new StringBuilder()
        .append("// imagine session, exported ").append(WHEN.format(exported)).append(". Replay: imagine run <this file>\n")
        .append("// Cells start at \"// %%\" (Jupytext's percent format; JJava's %load reads it too).\n");
    for (Cell cell : cells) {
      String code = redactor.code(cell.source()).strip();
      out.append("\n// %%\n");
      if (cell.failed()) {
        out.append(commentedOut(code, failureLine(cell))).append('\n');
      } else {
        out.append(code).append(endsStatement(code) ? "" : ";").append('\n');
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A failed cell's code as comments under a line saying how it failed. */
  static String commentedOut(String code, String failure) {
    return "// failed in the session: " + failure.strip() + "\n"
        + code.lines().map(line -> "// " + line).collect(Collectors.joining("\n"));
  }

  /** The first line of the last error a cell printed. */
  static String failureLine(Cell cell) {
    return cell.outputs().stream()
        .filter(o -> o instanceof SessionLog.Stream s && s.name().equals(SessionLog.STDERR))
        .map(o -> ((SessionLog.Stream) o).text().strip().lines().findFirst().orElse(""))
        .filter(s -> !s.isEmpty()).reduce((a, b) -> b).orElse("failed");
  }

  /** Whether the code already ends its last statement (a semicolon, a block, a comment line). */
  private static boolean endsStatement(String code) {
    String last = code.lines().reduce((a, b) -> b).orElse("").strip();
    return code.isEmpty() || code.endsWith(";") || code.endsWith("}") || last.startsWith("//");
  }
}
