package dev.imagine.bench;

import java.nio.file.Path;

/** Scenario 5: terminal encoders (branch {@code render}) against img2sixel. */
final class TerminalBench {
  private TerminalBench() {}

  record Result(String markdown, Double sixelRatio) {}

  static Result run(BenchMain.Settings s, Path logs) {
    try {
      Class.forName("dev.imagine.render.TerminalGraphics");
    } catch (ClassNotFoundException e) {
      return new Result("Not measured: the terminal encoders (`dev.imagine.render.TerminalGraphics`, branch `render`) "
          + "are not in this build yet.\n", null);
    }
    return new Result("(pending)\n", null);
  }
}
