package dev.imagine.render;

import dev.imagine.internal.ImageFormats;
import dev.imagine.internal.render.Fit;
import dev.imagine.internal.render.HalfBlockEncoder;
import dev.imagine.internal.render.ITermEncoder;
import dev.imagine.internal.render.KittyEncoder;
import dev.imagine.internal.render.Pixels;
import dev.imagine.internal.render.SixelEncoder;
import dev.imagine.internal.render.TerminalProbe;
import dev.imagine.internal.render.TerminalReplies;
import dev.imagine.internal.render.Tmux;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import javax.imageio.ImageIO;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;

/**
 * Draws images inline in a terminal: finds out what the terminal can do, then turns an image into
 * the escape sequences (or coloured text) that draw it.
 *
 * <pre>{@code
 * Terminal terminal = TerminalBuilder.terminal();
 * TerminalGraphics.Detection d = TerminalGraphics.detect(terminal, System.getenv());
 * String drawing = TerminalGraphics.render(pngBytes, d.protocol(), d.geometry(),
 *     d.geometry().columns() - 2, d.geometry().rows() / 2, d.tmux());
 * terminal.writer().write(drawing);
 * terminal.flush();
 * }</pre>
 *
 * <p>Supported: the kitty graphics protocol, iTerm2 inline images, sixel and Unicode half blocks
 * (see {@link GraphicsProtocol}). Setting {@code IMAGINE_IMAGES} to one of their names
 * overrides detection. Output never goes anywhere but the returned string: payloads are not
 * logged.
 */
public final class TerminalGraphics {
  /** What transparent pixels are composited over where the protocol has no alpha. */
  private static final int BACKGROUND = 0x000000;
  /** The whole probe, sending to last reply; a terminal that stays silent costs this once. */
  private static final long PROBE_TIMEOUT_MILLIS = 300;
  private static final Set<String> ITERM_PROGRAMS = Set.of("iterm.app", "wezterm", "vscode");
  private static final Map<Terminal, Probed> PROBED = Collections.synchronizedMap(new WeakHashMap<>());

  private TerminalGraphics() {}

  /** What {@link #detect} found. {@code tmux} means escapes must be wrapped for tmux passthrough. */
  public record Detection(GraphicsProtocol protocol, TerminalGeometry geometry, boolean tmux) {}

  /** What a probe found that stays true for the terminal's life; its size is read at each call. */
  private record Probed(GraphicsProtocol protocol, int cellWidth, int cellHeight, boolean tmux) {}

  /**
   * The protocol the environment variables alone settle, or {@code null} when only asking the
   * terminal can tell (most terminals claim {@code TERM=xterm-256color} whether they do sixel,
   * kitty graphics, or neither).
   *
   * <ul>
   *   <li>{@code IMAGINE_IMAGES=kitty|iterm|sixel|blocks|none} forces that protocol ({@code auto}
   *       or empty: detect); any other value throws {@link IllegalArgumentException}
   *   <li>{@code TERM=dumb} → {@link GraphicsProtocol#NONE NONE}
   *   <li>{@code KITTY_WINDOW_ID}, {@code TERM=xterm-kitty}, Ghostty → {@link GraphicsProtocol#KITTY KITTY}
   *   <li>{@code TERM_PROGRAM=iTerm.app|WezTerm|vscode}, {@code LC_TERMINAL=iTerm2} → {@link GraphicsProtocol#ITERM ITERM}
   *   <li>Apple Terminal, the Linux console → {@link GraphicsProtocol#BLOCKS BLOCKS} (no graphics)
   *   <li>anything else → {@code null}: {@link #detect} asks the terminal and falls back to
   *       {@code BLOCKS}; callers without a terminal at hand should use {@code BLOCKS} too
   * </ul>
   *
   * <pre>{@code
   * TerminalGraphics.fromEnvironment(Map.of("TERM", "xterm-kitty"));      // KITTY
   * TerminalGraphics.fromEnvironment(Map.of("TERM", "xterm-256color"));   // null: ask the terminal
   * }</pre>
   */
  public static GraphicsProtocol fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String forced = value(env, "IMAGINE_IMAGES");
    if (!forced.isEmpty() && !forced.equalsIgnoreCase("auto")) {
      try {
        return GraphicsProtocol.parse(forced);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("IMAGINE_IMAGES: " + e.getMessage() + " (or auto)", e);
      }
    }
    String term = value(env, "TERM").toLowerCase(Locale.ROOT);
    String program = value(env, "TERM_PROGRAM").toLowerCase(Locale.ROOT);
    if (term.equals("dumb")) {
      return GraphicsProtocol.NONE;
    }
    if (!value(env, "KITTY_WINDOW_ID").isEmpty() || term.equals("xterm-kitty")
        || term.equals("xterm-ghostty") || program.equals("ghostty")) {
      return GraphicsProtocol.KITTY;
    }
    if (ITERM_PROGRAMS.contains(program) || value(env, "LC_TERMINAL").equalsIgnoreCase("iTerm2")) {
      return GraphicsProtocol.ITERM;
    }
    if (program.equals("apple_terminal") || term.equals("linux")) {
      return GraphicsProtocol.BLOCKS;
    }
    return null;
  }

  /**
   * Finds the protocol and geometry of a real terminal. The environment decides first (see
   * {@link #fromEnvironment}); then, unless the terminal is dumb or not a tty, one batch of
   * queries goes out: the kitty graphics query, XTWINOPS {@code ESC[16t} for the cell size, and
   * DA1 {@code ESC[c}, which every terminal answers, last. Replies are read in raw mode for at
   * most about 300 ms in all and the terminal's modes are restored after. A kitty {@code OK}
   * means {@code KITTY}; a DA1 listing 4 means {@code SIXEL}; otherwise {@code BLOCKS}.
   *
   * <p>The probe runs once per terminal (the result is cached); the size in cells is read afresh
   * at each call, so a resized window is seen. Call it before the line reader starts reading: it
   * reads the terminal's input.
   */
  public static Detection detect(Terminal terminal, Map<String, String> env) {
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(env, "env");
    Probed probed;
    synchronized (PROBED) { // one probe at a time: two would read each other's replies
      probed = PROBED.get(terminal);
      if (probed == null) {
        probed = probe(terminal, env);
        PROBED.put(terminal, probed);
      }
    }
    Size size = terminal.getSize();
    TerminalGeometry geometry = new TerminalGeometry(
        size == null ? 0 : size.getColumns(), size == null ? 0 : size.getRows(), probed.cellWidth(), probed.cellHeight());
    return new Detection(probed.protocol(), geometry, probed.tmux());
  }

  private static Probed probe(Terminal terminal, Map<String, String> env) {
    boolean tmux = !value(env, "TMUX").isEmpty();
    if (value(env, "TERM").isEmpty() && terminal.getType() != null) {
      env = new HashMap<>(env); // the terminal's own type stands in for a missing TERM
      env.put("TERM", terminal.getType());
    }
    GraphicsProtocol known = fromEnvironment(env);
    if (known == GraphicsProtocol.NONE || !TerminalProbe.canQuery(terminal)) {
      return new Probed(known == null ? GraphicsProtocol.NONE : known, 0, 0, tmux);
    }
    // Even when the environment settled the protocol, the cell size is worth the round trip.
    TerminalReplies replies = TerminalProbe.query(terminal, tmux, PROBE_TIMEOUT_MILLIS);
    GraphicsProtocol protocol = known != null ? known
        : replies.kitty() ? GraphicsProtocol.KITTY
        : replies.sixel() ? GraphicsProtocol.SIXEL
        : GraphicsProtocol.BLOCKS;
    return new Probed(protocol, replies.cellWidth(), replies.cellHeight(), tmux);
  }

  /**
   * The text that draws {@code image} at the cursor, scaled down to fit {@code maxColumns x
   * maxRows} cells with its aspect ratio kept (never enlarged), ending with a newline; {@code ""}
   * for {@link GraphicsProtocol#NONE NONE}. With {@code tmux}, each escape is wrapped for tmux
   * passthrough. Transparent pixels are composited over black for sixel and half blocks; kitty
   * and iTerm2 keep the alpha channel.
   *
   * <pre>{@code
   * String s = TerminalGraphics.render(image, GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 40, 20, false);
   * System.out.print(s);   // 40 columns at most, 20 lines at most
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code maxColumns} or {@code maxRows} is less than 1
   */
  public static String render(BufferedImage image, GraphicsProtocol protocol, TerminalGeometry geometry,
      int maxColumns, int maxRows, boolean tmux) {
    return render(image, null, protocol, geometry, maxColumns, maxRows, tmux);
  }

  /**
   * Like {@link #render(BufferedImage, GraphicsProtocol, TerminalGeometry, int, int, boolean)}
   * for encoded PNG, JPEG or GIF bytes. When the image needs no scaling, kitty and iTerm2 get the
   * original bytes rather than a re-encoded copy.
   *
   * @throws IllegalArgumentException if the bytes are not an image {@link ImageIO} can decode
   */
  public static String render(byte[] encodedImage, GraphicsProtocol protocol, TerminalGeometry geometry,
      int maxColumns, int maxRows, boolean tmux) {
    Objects.requireNonNull(encodedImage, "encodedImage");
    Objects.requireNonNull(protocol, "protocol");
    checkBox(maxColumns, maxRows);
    if (protocol == GraphicsProtocol.NONE) {
      return "";
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(encodedImage));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(undecodable(encodedImage) + ": " + e.getMessage(), e);
    }
    if (image == null) {
      throw new IllegalArgumentException(undecodable(encodedImage) + ": not a PNG, JPEG or GIF");
    }
    return render(image, encodedImage, protocol, geometry, maxColumns, maxRows, tmux);
  }

  private static String undecodable(byte[] bytes) {
    return "cannot decode image (" + ImageFormats.mimeType(bytes) + ", " + ImageFormats.humanSize(bytes.length) + ")";
  }

  private static String render(BufferedImage image, byte[] encoded, GraphicsProtocol protocol, TerminalGeometry geometry,
      int maxColumns, int maxRows, boolean tmux) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(geometry, "geometry");
    checkBox(maxColumns, maxRows);
    int w = image.getWidth();
    int h = image.getHeight();
    int cw = geometry.cellWidth();
    int ch = geometry.cellHeight();
    switch (protocol) {
      case NONE:
        return "";
      case BLOCKS: {
        Fit fit = Fit.halfBlocks(w, h, cw, ch, maxColumns, maxRows);
        int[] rgb = Pixels.composite(Pixels.scale(image, fit.width(), fit.height()), BACKGROUND);
        return HalfBlockEncoder.encode(rgb, fit.width(), fit.height());
      }
      case SIXEL: {
        Fit fit = Fit.pixels(w, h, cw, ch, maxColumns, maxRows);
        int[] rgb = Pixels.composite(Pixels.scale(image, fit.width(), fit.height()), BACKGROUND);
        StringBuilder out = new StringBuilder();
        Tmux.append(out, SixelEncoder.encode(rgb, fit.width(), fit.height()), tmux);
        return out.append('\n').toString();
      }
      case KITTY: {
        Fit fit = Fit.pixels(w, h, cw, ch, maxColumns, maxRows);
        // kitty stretches the image over exactly c x r cells: pad it with transparent pixels to
        // whole cells so the picture itself keeps its shape.
        int canvasWidth = fit.columns() * cw;
        int canvasHeight = fit.rows() * ch;
        byte[] png = reusable(encoded, fit, w, h, canvasWidth, canvasHeight, "image/png")
            ? encoded
            : Pixels.png(Pixels.scale(image, fit.width(), fit.height()), fit.width(), fit.height(), canvasWidth, canvasHeight);
        return KittyEncoder.encode(png, fit.columns(), fit.rows(), tmux) + "\n";
      }
      case ITERM: {
        Fit fit = Fit.pixels(w, h, cw, ch, maxColumns, maxRows);
        // iTerm2 fits the image into the cells itself, keeping its aspect ratio: no padding.
        byte[] file = reusable(encoded, fit, w, h, fit.width(), fit.height(), "image/png", "image/jpeg")
            ? encoded
            : Pixels.png(Pixels.scale(image, fit.width(), fit.height()), fit.width(), fit.height(), fit.width(), fit.height());
        return ITermEncoder.encode(file, fit.columns(), fit.rows(), tmux) + "\n";
      }
      default:
        throw new AssertionError(protocol);
    }
  }

  private static void checkBox(int maxColumns, int maxRows) {
    if (maxColumns < 1) {
      throw new IllegalArgumentException("maxColumns must be at least 1: " + maxColumns);
    }
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
    }
  }

  /** Whether the caller's encoded bytes can be sent as they are: same pixels, an accepted format. */
  private static boolean reusable(byte[] encoded, Fit fit, int width, int height, int canvasWidth, int canvasHeight,
      String... types) {
    if (encoded == null || fit.width() != width || fit.height() != height
        || canvasWidth != width || canvasHeight != height) {
      return false;
    }
    String type = ImageFormats.mimeType(encoded);
    for (String t : types) {
      if (t.equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null ? "" : v.trim();
  }
}
