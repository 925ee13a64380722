package dev.imagine.repl;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageResult;
import dev.imagine.Usage;
import dev.imagine.internal.images.ImageValues;
import dev.imagine.render.GraphicsProtocol;
import dev.imagine.render.TerminalGeometry;
import dev.imagine.render.TerminalGraphics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Summary lines and drawings of results: shared by the REPL, scripts and {@link Display}. */
final class Views {
  /** At most this many images of one value are drawn; the rest are only summarised. */
  static final int MAX_DRAWN = 4;

  private Views() {}

  /** Where an image went: its saved file and its history number, either {@code null} when it has none. */
  @FunctionalInterface
  interface Filing {
    Path savedPath(GeneratedImage image);

    default Long number(GeneratedImage image) {
      return null;
    }
  }

  /** Whether {@code value} is something this class draws. */
  static boolean isImageValue(Object value) {
    return ImageValues.isImageValue(value);
  }

  /**
   * The summary line(s) and, unless the protocol is NONE, the drawing of each image;
   * {@code saved} says where an image was saved ({@code null}: not saved).
   */
  static String describe(Object value, GraphicsProtocol protocol, TerminalGeometry geometry, boolean tmux,
      Filing saved) {
    StringBuilder out = new StringBuilder();
    List<GeneratedImage> toDraw = new ArrayList<>();
    if (value instanceof ImageResult r) {
      out.append(summary(r, saved)).append('\n');
      toDraw.addAll(r.images());
    } else if (value instanceof GeneratedImage g) {
      out.append(summary(g, saved.savedPath(g))).append('\n');
      toDraw.add(g);
    } else if (value instanceof Collection<?> c && isImageValue(c)) {
      for (Object o : c) {
        if (o instanceof ImageResult r) {
          out.append(summary(r, saved)).append('\n');
          toDraw.addAll(r.images());
        } else {
          GeneratedImage g = (GeneratedImage) o;
          out.append(summary(g, saved.savedPath(g))).append('\n');
          toDraw.add(g);
        }
      }
    } else {
      return "  " + value + "\n";
    }
    if (protocol != GraphicsProtocol.NONE) {
      int columns = Math.max(8, (geometry.columns() > 0 ? geometry.columns() : 80) - 2);
      int rows = Math.max(6, (geometry.rows() > 0 ? geometry.rows() : 24) / 2);
      int drawn = 0;
      for (GeneratedImage image : toDraw) {
        if (drawn == MAX_DRAWN) {
          out.append("  (").append(toDraw.size() - MAX_DRAWN).append(" more not drawn: /images lists them)\n");
          break;
        }
        try {
          out.append(TerminalGraphics.render(image.bytes(), protocol, geometry, columns, rows, tmux));
        } catch (IllegalArgumentException e) {
          out.append("  (cannot draw this image: ").append(e.getMessage()).append(")\n");
        }
        drawn++;
      }
    }
    return out.toString();
  }

  /** "✓ 1 image · gpt-image-1 · 1024x1024 · 2.1 s · 1,234 tokens · saved imagine-output/…/001-a-red-fox.png" */
  static String summary(ImageResult r, Filing saved) {
    List<String> parts = new ArrayList<>();
    int n = r.images().size();
    parts.add("✓ " + n + (n == 1 ? " image" : " images"));
    parts.add(r.model());
    if (r.size() != null) {
      parts.add(r.size());
    }
    if (r.elapsed() != null) {
      parts.add(String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0));
    }
    Usage usage = r.usage();
    if (usage != null && usage.totalTokens() > 0) {
      parts.add(String.format(Locale.ROOT, "%,d tokens", usage.totalTokens()));
    }
    r.cost().ifPresent(cost -> parts.add(HistoryLines.money(cost)));
    Long number = r.images().isEmpty() ? null : saved.number(r.images().get(0));
    if (number != null) {
      parts.add("#" + number);
    }
    List<Path> files = new ArrayList<>();
    for (GeneratedImage g : r.images()) {
      Path p = saved.savedPath(g);
      if (p != null) {
        files.add(p);
      }
    }
    if (files.size() == 1) {
      parts.add("saved " + display(files.get(0)));
    } else if (!files.isEmpty()) {
      parts.add("saved " + display(files.get(0)) + " … " + files.get(files.size() - 1).getFileName());
    }
    return "  " + String.join(" · ", parts);
  }

  /** "✓ image · 1024x1024 · png · 1.2 MB · saved …" */
  static String summary(GeneratedImage g, Path saved) {
    List<String> parts = new ArrayList<>();
    parts.add("✓ image");
    parts.add(g.width() + "x" + g.height());
    parts.add(g.extension());
    parts.add(humanSize(g.size()));
    if (saved != null) {
      parts.add("saved " + display(saved));
    }
    return "  " + String.join(" · ", parts);
  }

  /** A path as the user should see it: relative to the working directory when inside it. */
  static String display(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return Math.round(bytes / 1024.0) + " KB";
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
