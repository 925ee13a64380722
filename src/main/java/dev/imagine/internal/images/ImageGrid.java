package dev.imagine.internal.images;

import dev.imagine.GeneratedImage;
import dev.imagine.internal.render.Pixels;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Lays a list of images out as one picture of tiles, row by row: a result's several images in a
 * notebook cell, a terminal grid, a sweep's contact sheet. Tiles are as large as the largest
 * image (each image centred in its tile), shrunk (never enlarged) to fit a maximum width. Each
 * tile is numbered from 1 above the image, so no image pixel is covered; a contact sheet adds row
 * labels on the left and column labels on top. Text uses {@link BitmapFont}, so it works on a
 * headless JDK without fonts.
 *
 * <pre>{@code
 * BufferedImage sheet = ImageGrid.of(images)           // one entry per cell, null for an empty cell
 *     .columnLabels(List.of("low", "medium", "high"))  // three columns
 *     .rowLabels(List.of("dall-e-3", "gpt-image-1"))    // two rows
 *     .maxWidth(1600)
 *     .compose();
 * }</pre>
 *
 * A mutable builder: each setter changes this object and returns it.
 */
public final class ImageGrid {
  /** Columns when neither a column count nor column labels are given: up to four side by side. */
  public static final int DEFAULT_COLUMNS = 4;
  private static final int EMPTY_TILE = 256;

  private final List<BufferedImage> images;
  private int columns;
  private int maxWidth;
  private boolean numbered = true;
  private List<String> rowLabels = List.of();
  private List<String> columnLabels = List.of();
  private int background = 0x2B2B2B;

  private ImageGrid(List<BufferedImage> images) {
    this.images = images;
  }

  /**
   * A grid of these images in order; a {@code null} entry is an empty tile (a sweep cell that
   * failed, say).
   */
  public static ImageGrid of(List<? extends BufferedImage> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a grid needs at least one image; got none");
    }
    return new ImageGrid(Collections.unmodifiableList(new ArrayList<>(images)));
  }

  /**
   * The images as one picture: the image itself when there is one, else a numbered grid of them.
   *
   * @throws dev.imagine.ImagineException when an image cannot be decoded
   */
  public static BufferedImage picture(List<GeneratedImage> images) {
    return images.size() == 1 ? images.get(0).toBufferedImage()
        : of(images.stream().map(GeneratedImage::toBufferedImage).toList()).compose();
  }

  /** Tiles per row (at most the number of images); by default the number of column labels, else up to {@value #DEFAULT_COLUMNS}. */
  public ImageGrid columns(int columns) {
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be at least 1; got " + columns);
    }
    this.columns = columns;
    return this;
  }

  /** The widest the composed picture may be, in pixels: tiles shrink to fit. 0 (the default) for no limit. */
  public ImageGrid maxWidth(int pixels) {
    if (pixels < 0) {
      throw new IllegalArgumentException("maxWidth must be 0 (no limit) or more; got " + pixels);
    }
    this.maxWidth = pixels;
    return this;
  }

  /** Whether each tile gets its number (1, 2, ...) above it; on by default. */
  public ImageGrid numbered(boolean numbered) {
    this.numbered = numbered;
    return this;
  }

  /** One label per row, drawn left of the row (upper case, cut to fit). */
  public ImageGrid rowLabels(List<String> labels) {
    this.rowLabels = List.copyOf(labels);
    return this;
  }

  /** One label per column, drawn above the column (upper case, cut to fit); sets the column count. */
  public ImageGrid columnLabels(List<String> labels) {
    this.columnLabels = List.copyOf(labels);
    return this;
  }

  /** The background colour as {@code 0xRRGGBB}; text is drawn black or white, whichever shows. */
  public ImageGrid background(int rgb) {
    this.background = rgb & 0xFFFFFF;
    return this;
  }

  /**
   * Where everything goes, without drawing.
   *
   * @param width the composed picture's width
   * @param height its height
   * @param scale how much every image is shrunk (1 for natural size)
   * @param tiles for each image, in order, the rectangle its pixels are drawn in
   */
  public record Layout(int width, int height, int columns, int rows, double scale, List<Rectangle> tiles) {}

  /** Computes the layout; see {@link #compose()} for what each part is. */
  public Layout layout() {
    Geometry g = geometry();
    List<Rectangle> tiles = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      tiles.add(g.tile(i, images.get(i)));
    }
    return new Layout(g.width(), g.height(), g.columns, g.rows, g.scale, List.copyOf(tiles));
  }

  /** Draws the grid: an opaque picture ({@code TYPE_INT_RGB}); transparent images show the background. */
  public BufferedImage compose() {
    Geometry g = geometry();
    int w = g.width(), h = g.height(), ts = g.textScale;
    int[] px = new int[w * h];
    Arrays.fill(px, 0xFF000000 | background);
    int ink = luminance(background) > 140 ? 0xFF000000 : 0xFFFFFFFF;
    int pad = 2 * ts;
    for (int i = 0; i < images.size(); i++) {
      BufferedImage image = images.get(i);
      Rectangle t = g.tile(i, image);
      int[] tile = image == null ? emptyTile(t.width * t.height)
          : Pixels.composite(Pixels.scale(image, t.width, t.height), background);
      for (int y = 0; y < t.height; y++) {
        System.arraycopy(tile, y * t.width, px, (t.y + y) * w + t.x, t.width);
      }
      if (numbered) {
        BitmapFont.draw(px, w, h, Integer.toString(i + 1), g.cellLeft(i % g.columns),
            g.cellTop(i / g.columns) - g.caption + pad, ts, ink);
      }
    }
    int maxChars = Math.max(1, g.tileW / BitmapFont.advance(1, ts));
    for (int c = 0; c < columnLabels.size(); c++) {
      String label = fit(columnLabels.get(c), maxChars);
      int x = g.cellLeft(c) + (g.tileW - BitmapFont.advance(label.length(), ts)) / 2;
      BitmapFont.draw(px, w, h, label, x, g.gap + pad, ts, ink);
    }
    int labelChars = rowLabelChars(ts, g.tileW);
    for (int r = 0; r < rowLabels.size(); r++) {
      String label = fit(rowLabels.get(r), labelChars);
      int y = g.cellTop(r) + (g.tileH - BitmapFont.HEIGHT * ts) / 2;
      BitmapFont.draw(px, w, h, label, g.gap, y, ts, ink);
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.getRaster().setDataElements(0, 0, w, h, px);
    return out;
  }

  /**
   * The measures of one grid: {@code left} (row labels), then per column a gap and a tile;
   * {@code top} (column labels), then per row a gap, a caption (the number) and a tile.
   */
  private record Geometry(int columns, int rows, double scale, int textScale, int tileW, int tileH, int gap,
      int left, int top, int caption) {
    int width() {
      return left + gap + columns * (tileW + gap);
    }

    int height() {
      return top + gap + rows * (caption + tileH + gap);
    }

    int cellLeft(int column) {
      return left + gap + column * (tileW + gap);
    }

    int cellTop(int row) {
      return top + gap + row * (caption + tileH + gap) + caption;
    }

    /** The image's rectangle: scaled like every tile, centred in its cell. */
    Rectangle tile(int i, BufferedImage image) {
      int w = image == null ? tileW : Math.min(tileW, Math.max(1, (int) Math.round(image.getWidth() * scale)));
      int h = image == null ? tileH : Math.min(tileH, Math.max(1, (int) Math.round(image.getHeight() * scale)));
      return new Rectangle(cellLeft(i % columns) + (tileW - w) / 2, cellTop(i / columns) + (tileH - h) / 2, w, h);
    }
  }

  private Geometry geometry() {
    int n = images.size();
    int cols = columns > 0 ? Math.min(columns, n)
        : !columnLabels.isEmpty() ? columnLabels.size() : Math.min(n, DEFAULT_COLUMNS);
    if (!columnLabels.isEmpty() && columnLabels.size() != cols) {
      throw new IllegalArgumentException("there are " + columnLabels.size() + " column labels for " + cols + " columns");
    }
    int rows = (n + cols - 1) / cols;
    if (!rowLabels.isEmpty() && rowLabels.size() != rows) {
      throw new IllegalArgumentException("there are " + rowLabels.size() + " row labels for " + rows + " rows of "
          + cols + " images");
    }
    int cellW = 0, cellH = 0;
    for (BufferedImage image : images) {
      if (image != null) {
        cellW = Math.max(cellW, image.getWidth());
        cellH = Math.max(cellH, image.getHeight());
      }
    }
    if (cellW == 0) {
      cellW = cellH = EMPTY_TILE;
    }
    double scale = 1;
    int ts = textScale(cellW);
    if (maxWidth > 0) {
      for (int pass = 0; pass < 2; pass++) { // the text size depends on the tile size and back
        int room = maxWidth - chromeWidth(cols, ts, (int) (cellW * scale));
        if (room < cols) {
          throw new IllegalArgumentException("a grid of " + cols + " columns cannot fit in " + maxWidth
              + " pixels; allow more width or fewer columns");
        }
        scale = Math.min(scale, room / (double) (cols * cellW));
        ts = textScale((int) (cellW * scale));
      }
    }
    int tileW = Math.max(1, (int) (cellW * scale));
    int tileH = Math.max(1, (int) (cellH * scale));
    int line = lineHeight(ts);
    return new Geometry(cols, rows, scale, ts, tileW, tileH, gap(ts), rowLabelWidth(ts, tileW),
        columnLabels.isEmpty() ? 0 : line, numbered ? line : 0);
  }

  private int chromeWidth(int cols, int ts, int tileW) {
    return rowLabelWidth(ts, tileW) + (cols + 1) * gap(ts);
  }

  private int rowLabelWidth(int ts, int tileW) {
    if (rowLabels.isEmpty()) {
      return 0;
    }
    return BitmapFont.advance(rowLabelChars(ts, tileW), ts) + gap(ts);
  }

  /** Row labels get as many characters as the longest needs, up to a tile's width (at least 4). */
  private int rowLabelChars(int ts, int tileW) {
    int longest = rowLabels.stream().mapToInt(l -> BitmapFont.normalize(l).length()).max().orElse(0);
    return Math.max(1, Math.min(longest, Math.max(4, tileW / BitmapFont.advance(1, ts))));
  }

  private static String fit(String label, int maxChars) {
    String text = BitmapFont.normalize(label);
    if (text.length() <= maxChars) {
      return text;
    }
    return maxChars <= 3 ? text.substring(0, maxChars) : text.substring(0, maxChars - 2) + "..";
  }

  private int[] emptyTile(int size) {
    int[] tile = new int[size];
    int shade = luminance(background) > 140 ? 0x101010 : -0x101010;
    int rgb = Math.max(0, Math.min(0xFFFFFF, background - shade));
    Arrays.fill(tile, 0xFF000000 | rgb);
    return tile;
  }

  /** Font pixels per bitmap pixel: 1 for thumbnails up to 4 for tiles of 768 pixels and more. */
  private static int textScale(int tileWidth) {
    return Math.max(1, Math.min(4, tileWidth / 256 + 1));
  }

  private static int gap(int ts) {
    return 4 * ts;
  }

  private static int lineHeight(int ts) {
    return (BitmapFont.HEIGHT + 4) * ts;
  }

  private static int luminance(int rgb) {
    return ((rgb >> 16 & 0xFF) * 299 + (rgb >> 8 & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000;
  }
}
