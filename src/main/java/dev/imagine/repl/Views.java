package dev.imagine.repl;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageResult;
import dev.imagine.ImagineException;
import dev.imagine.Usage;
import dev.imagine.internal.images.ImageGrid;
import dev.imagine.internal.images.ImageValues;
import dev.imagine.render.GraphicsProtocol;
import dev.imagine.render.TerminalGeometry;
import dev.imagine.render.TerminalGraphics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Summary lines and drawings of results: shared by the REPL, scripts and {@link Display}. */
final class Views {
  /** At most this many images of one value are drawn (as one grid); the rest are only summarised. */
  static final int MAX_DRAWN = 16;
  /** A grid tile is at least this many terminal columns wide, so fewer fit side by side on a narrow terminal. */
  static final int MIN_TILE_COLUMNS = 24;

  private Views() {}

  /** Where an image went: its saved file and its history number, either {@code null} when it has none. */
  @FunctionalInterface
  interface Filing {
    Path savedPath(GeneratedImage image);

    default Long number(GeneratedImage image) {
      return null;
    }

    /** The {@code /images} number of an image that could not be saved and is kept in memory, else {@code null}. */
    default Integer keptInMemory(GeneratedImage image) {
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
    if (protocol != GraphicsProtocol.NONE && !toDraw.isEmpty()) {
      int columns = Math.max(8, geometry.columns() - 2);
      int rows = Math.max(6, geometry.rows() / 2);
      if (toDraw.size() == 1) {
        try {
          out.append(TerminalGraphics.render(toDraw.get(0).bytes(), protocol, geometry, columns, rows, tmux));
        } catch (IllegalArgumentException e) {
          out.append("  (cannot draw this image: ").append(e.getMessage()).append(")\n");
        }
      } else {
        drawGrid(out, toDraw, protocol, geometry, columns, Math.max(rows, geometry.rows() * 2 / 3), tmux);
      }
    }
    return out.toString();
  }

  /**
   * Several images as one grid of numbered tiles side by side, as many per row as the terminal's
   * width allows (rows balanced: 4 images on a narrow terminal are 2 x 2, not 3 + 1), composed at
   * the terminal's own pixel width so the numbers are not shrunk away; an image that cannot be
   * decoded is an empty tile and a note.
   */
  private static void drawGrid(StringBuilder out, List<GeneratedImage> images, GraphicsProtocol protocol,
      TerminalGeometry geometry, int columns, int rows, boolean tmux) {
    List<GeneratedImage> drawn = images.subList(0, Math.min(images.size(), MAX_DRAWN));
    List<BufferedImage> tiles = new ArrayList<>(drawn.size());
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < drawn.size(); i++) {
      try {
        tiles.add(drawn.get(i).toBufferedImage());
      } catch (ImagineException e) {
        tiles.add(null);
        notes.add("  (cannot draw image " + (i + 1) + ": " + e.getMessage() + ")");
      }
    }
    if (tiles.stream().anyMatch(Objects::nonNull)) {
      int widest = Math.max(1, Math.min(ImageGrid.DEFAULT_COLUMNS, columns / MIN_TILE_COLUMNS));
      int gridRows = (tiles.size() + widest - 1) / widest;
      int perRow = (tiles.size() + gridRows - 1) / gridRows;
      int pixelsPerColumn = protocol == GraphicsProtocol.BLOCKS ? 1 : geometry.cellWidth();
      try {
        BufferedImage grid = ImageGrid.of(tiles).columns(perRow).maxWidth(columns * pixelsPerColumn).compose();
        out.append(TerminalGraphics.render(grid, protocol, geometry, columns, rows, tmux));
      } catch (IllegalArgumentException e) {
        notes.add("  (cannot draw these images as a grid: " + e.getMessage() + ")");
      }
    }
    for (String note : notes) {
      out.append(note).append('\n');
    }
    if (images.size() > drawn.size()) {
      out.append("  (").append(images.size() - drawn.size()).append(" more not drawn: /images lists them)\n");
    }
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
    List<Integer> kept = new ArrayList<>();
    for (GeneratedImage g : r.images()) {
      Path p = saved.savedPath(g);
      Integer inMemory = p == null ? saved.keptInMemory(g) : null;
      if (p != null) {
        files.add(p);
      } else if (inMemory != null) {
        kept.add(inMemory);
      }
    }
    if (files.size() == 1) {
      parts.add("saved " + display(files.get(0)));
    } else if (!files.isEmpty()) {
      parts.add("saved " + display(files.get(0)) + " … " + files.get(files.size() - 1).getFileName());
    }
    if (kept.size() == 1) {
      parts.add("not saved, in memory: /save " + kept.get(0) + " path");
    } else if (!kept.isEmpty()) {
      parts.add("not saved, in memory: /save " + kept.get(0) + " … " + kept.get(kept.size() - 1) + " path");
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
