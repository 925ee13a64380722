package dev.imagine.repl;

import dev.imagine.GeneratedImage;
import dev.imagine.render.GraphicsProtocol;
import dev.imagine.render.TerminalGeometry;
import dev.imagine.render.TerminalGraphics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Draws images in the terminal from any Java code: the REPL, a {@code .jsh} script, plain
 * {@code jshell} with the imagine startup file, or a program.
 *
 * <pre>{@code
 * import static dev.imagine.repl.Display.show;
 *
 * var r = images().prompt("a red fox in snow").generate();
 * show(r);                       // a one-line summary, then the image
 * show(Path.of("fox.png"));      // any PNG, JPEG or GIF file
 * }</pre>
 *
 * Inside the imagine REPL the REPL's own terminal detection is used. Elsewhere the environment
 * decides: {@code IMAGINE_IMAGES} ({@code kitty}, {@code iterm}, {@code sixel}, {@code blocks},
 * {@code none}), then the terminal's known variables, else Unicode half blocks; with
 * {@code TERM} unset or {@code dumb} only the summary is printed.
 */
public final class Display {
  /** Set by a running REPL so that {@code show} draws through its terminal. */
  static volatile Consumer<Object> repl;

  private Display() {}

  /**
   * Shows an {@code ImageResult}, a {@code GeneratedImage}, a collection of them, the bytes of an
   * encoded image or the {@code Path} of an image file: a summary line, then the image(s).
   */
  public static void show(Object value) {
    Consumer<Object> hook = repl;
    if (hook != null) {
      hook.accept(value);
      return;
    }
    show(value, System.out, System.getenv());
  }

  static void show(Object value, PrintStream out, Map<String, String> env) {
    GraphicsProtocol protocol = protocolFromEnvironment(env);
    TerminalGeometry geometry = new TerminalGeometry(number(env.get("COLUMNS"), 80), number(env.get("LINES"), 24), 0, 0);
    boolean tmux = env.get("TMUX") != null && !env.get("TMUX").isEmpty();
    out.print(Views.describe(normalize(value), protocol, geometry, tmux, image -> null));
    out.flush();
  }

  /** The protocol the environment alone allows; never asks the terminal. */
  static GraphicsProtocol protocolFromEnvironment(Map<String, String> env) {
    GraphicsProtocol p;
    try {
      p = TerminalGraphics.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      p = null;
    }
    if (p != null) {
      return p;
    }
    String term = env.get("TERM");
    return term == null || term.isBlank() || term.equals("dumb") ? GraphicsProtocol.NONE : GraphicsProtocol.BLOCKS;
  }

  /** Paths and byte arrays become images; everything else is left as it is. */
  static Object normalize(Object value) {
    try {
      if (value instanceof Path p) {
        return new GeneratedImage(Files.readAllBytes(p), 0, p.getFileName().toString(), null, null);
      }
      if (value instanceof byte[] b) {
        return new GeneratedImage(b.clone(), 0, null, null, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot show " + value + ": " + e.getMessage(), e);
    }
    return value;
  }

  private static int number(String s, int fallback) {
    try {
      return s == null ? fallback : Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
