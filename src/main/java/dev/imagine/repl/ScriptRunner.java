package dev.imagine.repl;

import dev.imagine.render.GraphicsProtocol;
import dev.imagine.repl.history.History;
import dev.imagine.render.TerminalGeometry;
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
    ImageStore store = new ImageStore(outputDir, Clock.systemDefaultZone(), History.folder(env));
    Backends backends = new Backends(env, List.of(store));
    if (backends.startsLocal()) {
      err.println("No OPENAI_API_KEY set: using the embedded local backend (offline, test images).");
    }
    try (store; Evaluator evaluator = new Evaluator()) {
      Recall.current = store.history();
      backends.startDefault();
      System.setOut(out);
      System.setErr(err);
      Display.repl = value -> out.print(Views.describe(Display.normalize(value), protocol, geometry, tmux, store));
      int[] code = {0};
      List<Outcome> outcomes = evaluator.eval(source, true, o -> {
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
      return outcomes.stream().anyMatch(Outcome::failed) ? 1 : code[0];
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
