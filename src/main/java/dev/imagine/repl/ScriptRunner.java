package dev.imagine.repl;

import dev.imagine.render.GraphicsProtocol;
import dev.imagine.repl.history.History;
import dev.imagine.render.TerminalGeometry;
import dev.imagine.repl.export.Exports;
import dev.imagine.repl.export.SessionLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code imagine run script.jsh}: the REPL's evaluation without prompt or line editor. Stops at
 * the first compile error or exception with its place in the file (exit code 1); images are
 * saved as in the REPL and summarised (drawn too when the output is a terminal).
 */
final class ScriptRunner {
  private static final Pattern EXIT = Pattern.compile("(?m)^\\s*/exit\\b.*$");

  private ScriptRunner() {}

  static int run(Path script, PrintStream out, PrintStream err, Map<String, String> env, Path outputDir) {
    return run(script, out, err, env, outputDir, null);
  }

  /**
   * {@code imagine export-notebook script.jsh out.ipynb}: runs the script and writes what it did as
   * a notebook (also when it failed: the failed cell is kept as comments); the script's exit code,
   * or 2 when the notebook cannot be written.
   */
  static int exportNotebook(Path script, Path notebook, boolean replace, PrintStream out, PrintStream err,
      Map<String, String> env, Path outputDir) {
    SessionLog log = new SessionLog();
    int code = run(script, out, err, env, outputDir, log);
    if (log.isEmpty() && code == 2) {
      return code; // the script could not be read: said already
    }
    Backends backends = new Backends(env, List.of());
    try {
      Path written = Exports.write(log, notebook, new Exports.Setup(dev.imagine.internal.Version.VERSION,
          backends.startsLocal()), backends.secrets(), replace);
      err.println("imagine export-notebook: wrote " + log.cells().size() + " cells to " + written
          + (code == 0 ? "" : " (the script failed; the failed cell is kept as comments)"));
      return code;
    } catch (RuntimeException e) {
      err.println("imagine export-notebook: " + e.getMessage());
      return 2;
    }
  }

  /** Runs the script; with a {@code log}, records each {@code // %%} section (or snippet) as a cell. */
  private static int run(Path script, PrintStream out, PrintStream err, Map<String, String> env, Path outputDir,
      SessionLog log) {
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("imagine run: cannot read " + script + ": " + e.getMessage());
      return 2;
    }
    Matcher exit = EXIT.matcher(text);
    if (exit.find()) {
      text = text.substring(0, exit.start()); // jshell scripts often end with /exit
    }
    String source = text;
    String name = script.getFileName().toString();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    boolean terminal = System.console() != null && out == originalOut;
    GraphicsProtocol protocol = terminal ? Display.protocolFromEnvironment(env) : GraphicsProtocol.NONE;
    TerminalGeometry geometry = new TerminalGeometry(number(env.get("COLUMNS"), 80), number(env.get("LINES"), 24), 0, 0);
    boolean tmux = env.get("TMUX") != null && !env.get("TMUX").isBlank();
    ImageStore store = new ImageStore(outputDir, Clock.systemDefaultZone(), History.folder(env), false);
    Backends backends = new Backends(env, List.of(store));
    if (backends.startsLocal()) {
      err.println("No OPENAI_API_KEY set: using the embedded local backend (offline, test images).");
    }
    try (store; Evaluator evaluator = new Evaluator()) {
      Recall.current = store.history();
      backends.startDefault();
      System.setOut(log == null ? out : log.tee(out, SessionLog.STDOUT));
      System.setErr(log == null ? err : log.tee(err, SessionLog.STDERR));
      Cells cells = log == null ? null : new Cells(source, log);
      Display.repl = value -> out.print(Views.describe(Display.normalize(value), protocol, geometry, tmux, store));
      int[] code = {0};
      List<Outcome> outcomes = evaluator.eval(source, true, o -> {
        if (cells != null) {
          cells.record(o, name);
        }
        switch (o.kind()) {
          case VALUE -> {
            if (Views.isImageValue(o.value())) {
              out.print(Views.describe(o.value(), protocol, geometry, tmux, store));
            }
          }
          case COMPILE_ERROR -> {
            err.print(Repl.compileError(o, source, name));
            code[0] = 1;
          }
          case EXCEPTION -> {
            err.print(name + ":" + line(source, o.offset()) + ": " + Repl.exception(o.exception()).strip()
                .replace("\n    (/trace shows the stack trace)", "").replace("    ", "  ") + "\n");
            code[0] = 1;
          }
          case CANCELLED -> {
            err.println(name + ":" + line(source, o.offset()) + ": cancelled" + (o.note() == null ? "" : ": " + o.note()));
            code[0] = 1;
          }
          default -> { }
        }
      });
      out.flush();
      store.flush();
      if (log != null) {
        log.endCell();
      }
      for (String problem : store.takeProblems()) {
        err.println(name + ": " + problem);
      }
      // An image the script made but nobody saved is lost when it ends: that is a failure to see.
      return outcomes.stream().anyMatch(Outcome::failed) || store.anyUnsaved() ? 1 : code[0];
    } catch (RuntimeException e) {
      err.println("imagine run: " + e.getMessage());
      return 1;
    } finally {
      Display.repl = null;
      Recall.current = null;
      System.setOut(originalOut);
      System.setErr(originalErr);
      backends.close();
    }
  }

  /** Which cell each snippet belongs to: its {@code // %%} section, or itself when the script has no markers. */
  private static final class Cells {
    private static final Pattern MARKER = Pattern.compile("(?m)^[ \\t]*// ?%%.*$");
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s*//[^\\n]*(\\n|$))*\\s*");
    private final String source;
    private final SessionLog log;
    private final List<int[]> sections = new java.util.ArrayList<>(); // {start, end} of each section's code
    private int current = -1;
    private int snippets;

    Cells(String source, SessionLog log) {
      this.source = source;
      this.log = log;
      Matcher m = MARKER.matcher(source);
      int start = -1;
      while (m.find()) {
        if (start >= 0) {
          sections.add(new int[] {start, m.start()});
        }
        start = m.end();
      }
      if (start >= 0) {
        sections.add(new int[] {start, source.length()});
      }
    }

    void record(Outcome o, String name) {
      // the snippet's offset may point at blank lines and comments (a marker) before its code
      String code = LEADING_COMMENTS.matcher(o.source()).replaceFirst("");
      int at = code.isEmpty() ? -1 : source.indexOf(code, o.offset());
      int key = sections.isEmpty() ? snippets++ : section(at < 0 ? o.offset() : at);
      if (key != current) {
        current = key;
        String cell = sections.isEmpty() || key < 0 ? code
            : source.substring(sections.get(key)[0], sections.get(key)[1]);
        log.startCellWithPrinted(cell.strip());
      }
      switch (o.kind()) {
        case VALUE -> log.value(o.value(), (o.name() == null ? "" : o.name() + " ==> ") + o.valueText());
        case COMPILE_ERROR -> log.failed(Repl.compileError(o, source, name));
        case EXCEPTION -> log.failed(Repl.exception(o.exception()));
        case CANCELLED -> log.failed("cancelled");
        default -> log.flush();
      }
    }

    /** The section holding {@code offset}; -1 for code before the first marker. */
    private int section(int offset) {
      for (int i = sections.size() - 1; i >= 0; i--) {
        if (offset >= sections.get(i)[0]) {
          return i;
        }
      }
      return -1;
    }
  }

  private static long line(String text, int offset) {
    String before = text.substring(0, Math.max(0, Math.min(offset, text.length())));
    // the snippet may start with blank lines or comments: count from its first character
    int skip = 0;
    String rest = text.substring(before.length());
    while (skip < rest.length() && Character.isWhitespace(rest.charAt(skip))) {
      skip++;
    }
    return text.substring(0, before.length() + skip).chars().filter(c -> c == '\n').count() + 1;
  }

  private static int number(String s, int fallback) {
    try {
      return s == null ? fallback : Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
