package dev.imagine.repl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * A real REPL on a real JLine terminal whose keyboard and screen are pipes held by the test: keys
 * go in as bytes (Enter is {@code \r}, Ctrl-C {@code \u0003}), everything drawn comes out.
 */
final class ReplHarness implements AutoCloseable {
  private final PipedOutputStream keys = new PipedOutputStream();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final Terminal terminal;
  final Repl repl;
  final Path outputDir;
  final Map<String, String> env;
  /** Every request's final failure, as a listener on the REPL's clients hears it. */
  final java.util.concurrent.BlockingQueue<Throwable> failures = new java.util.concurrent.LinkedBlockingQueue<>();
  /** Every request started, as a listener on the REPL's clients hears it. */
  final java.util.concurrent.BlockingQueue<dev.imagine.ImageRequest> started = new java.util.concurrent.LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile Integer exitCode;

  ReplHarness(Path dir, Map<String, String> extraEnv) {
    try {
      PipedInputStream in = new PipedInputStream(keys, 1 << 16);
      OutputStream out = new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (screen) {
            screen.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (screen) {
            screen.write(b, off, len);
          }
        }
      };
      // An ExternalTerminal does the line discipline itself, so Ctrl-C raises INT in this JVM; the
      // builder would put a real pty in between, whose SIGINT goes to nobody.
      terminal = new ExternalTerminal("test", "xterm-256color", in, out, StandardCharsets.UTF_8);
      terminal.setSize(new Size(100, 40));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env = new HashMap<>();
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("XDG_DATA_HOME", dir.resolve("data").toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.putAll(extraEnv);
    outputDir = dir.resolve("imagine-output");
    repl = new Repl(terminal, env, outputDir, java.util.List.of(new dev.imagine.GenerationListener() {
      @Override
      public void started(dev.imagine.ImageRequest request) {
        started.add(request);
      }

      @Override
      public void failed(dev.imagine.ImageRequest request, Throwable failure) {
        failures.add(failure);
      }
    }));
    thread = new Thread(() -> exitCode = repl.run(), "repl-under-test");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits (up to 3 minutes) until JShell, which starts in the background after the prompt, has
   * evaluated a first snippet: on a loaded machine that takes longer than any single test should wait.
   */
  void awaitJava() {
    int m = mark();
    line("\"java is ready\"");
    await(m, "==> \"java is ready\"", Duration.ofMinutes(3));
    awaitNextPrompt(m);
  }

  /** Types {@code text} as it is (use {@code \r} for Enter, {@code \t} for Tab). */
  void type(String text) {
    try {
      keys.write(text.getBytes(StandardCharsets.UTF_8));
      keys.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Types a line and Enter. */
  void line(String text) {
    type(text + "\r");
  }

  /** Resizes the terminal; the REPL reads the size afresh for each drawing. */
  void resize(int columns, int rows) {
    terminal.setSize(new Size(columns, rows));
  }

  /** Everything drawn so far, raw. */
  String raw() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** A mark to read the screen from. */
  int mark() {
    return raw().length();
  }

  /** Waits until the text drawn after {@code mark}, without escapes, contains {@code expected}; returns it. */
  String await(int mark, String expected, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String since = plain(raw().substring(mark));
      if (since.contains(expected)) {
        return since;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("waited " + timeout.toMillis() + " ms for \"" + expected + "\"; the screen showed:\n" + since);
      }
      sleep(20);
    }
  }

  String await(int mark, String expected) {
    return await(mark, expected, Duration.ofSeconds(12));
  }

  /** Waits until the raw output after {@code mark} contains {@code expected} (escapes included). */
  String awaitRaw(int mark, String expected, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String since = raw().substring(mark);
      if (since.contains(expected)) {
        return since;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("waited for raw " + expected.replace("\033", "\\e") + "; got:\n" + plain(since));
      }
      sleep(20);
    }
  }

  /** Types a line and waits for the next prompt after it; returns what was drawn, without escapes. */
  String run(String line) {
    return run(line, Duration.ofSeconds(12));
  }

  /** As {@link #run(String)}, waiting up to {@code timeout} (a first generation in a cold JVM on a busy machine). */
  String run(String line, Duration timeout) {
    int m = mark();
    line(line);
    return awaitNextPrompt(m, timeout);
  }

  /** Waits for a fresh prompt on a line after {@code m}; returns what was drawn since, without escapes. */
  String awaitNextPrompt(int m) {
    return awaitNextPrompt(m, Duration.ofSeconds(12));
  }

  String awaitNextPrompt(int m, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String since = plain(raw().substring(m));
      // the line's own echo comes first; the result is done when a fresh prompt follows it
      int lastPrompt = since.lastIndexOf(Repl.PROMPT.strip());
      if (lastPrompt >= 0 && since.indexOf('\n') >= 0 && since.indexOf('\n') < lastPrompt) {
        return since;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no prompt after the line; the screen showed:\n" + since);
      }
      sleep(20);
    }
  }

  Integer exitCode() {
    return exitCode;
  }

  void awaitExit(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
  }

  /**
   * The text as a terminal would show it: drawings and escapes removed, and the cursor moves
   * JLine makes when it redraws (carriage return, backspace, CSI C/D/G/K) played on a line buffer.
   */
  static String plain(String s) {
    String text = s.replaceAll("\033\\][^\007\033]*(\007|\033\\\\)", "")   // OSC
        .replaceAll("\033_[^\033]*\033\\\\", "")                  // APC (kitty)
        .replaceAll("\033P[^\033]*\033\\\\", "")                  // DCS (sixel)
        .replaceAll("\033[()][0-9A-Za-z]", "")
        .replaceAll("\033[=>78M]", "");
    StringBuilder done = new StringBuilder();
    StringBuilder line = new StringBuilder();
    int col = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\033' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
        int j = i + 2;
        while (j < text.length() && text.charAt(j) >= 0x30 && text.charAt(j) <= 0x3f) {
          j++;
        }
        while (j < text.length() && text.charAt(j) >= 0x20 && text.charAt(j) <= 0x2f) {
          j++;
        }
        if (j >= text.length()) {
          break;
        }
        String param = text.substring(i + 2, j);
        int n = param.matches("\\d+") ? Integer.parseInt(param) : -1;
        switch (text.charAt(j)) {
          case 'C' -> col += Math.max(1, n);
          case 'D' -> col = Math.max(0, col - Math.max(1, n));
          case 'G' -> col = Math.max(0, Math.max(1, n) - 1);
          case 'K' -> {
            if (n <= 0 && col < line.length()) {
              line.setLength(col);
            }
          }
          default -> { }
        }
        i = j;
      } else if (c == '\r') {
        col = 0;
      } else if (c == '\n') {
        done.append(line).append('\n');
        line.setLength(0);
        col = 0;
      } else if (c == '\b') {
        col = Math.max(0, col - 1);
      } else if (c >= ' ' || c == '\t') {
        while (line.length() < col) {
          line.append(' ');
        }
        if (col < line.length()) {
          line.setCharAt(col, c);
        } else {
          line.append(c);
        }
        col++;
      }
    }
    return done.append(line).toString();
  }

  /** Clears whatever is typed (Ctrl-C at the prompt) and waits for a fresh prompt. */
  void clearLine() {
    int m = mark();
    type("\u0003");
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!plain(raw().substring(m)).contains(Repl.PROMPT.strip()) && System.nanoTime() < end) {
      sleep(20);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() throws Exception {
    if (thread.isAlive()) {
      line("/exit");
      thread.join(5000);
    }
    repl.close();
    terminal.close();
  }
}
