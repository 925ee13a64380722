package dev.imagine.internal.render;

/**
 * Where an image goes: the pixel size it is scaled to and the cells it covers.
 *
 * <p>Scaling keeps the aspect ratio, never exceeds the cell box and never enlarges: a small image
 * stays small rather than turning into blurry blocks.
 *
 * @param width scaled width in pixels
 * @param height scaled height in pixels
 * @param columns cells covered horizontally
 * @param rows cells covered vertically
 */
public record Fit(int width, int height, int columns, int rows) {

  /**
   * For protocols that draw real pixels (kitty, iTerm2, sixel): the image is fitted into
   * {@code maxColumns * cellWidth} x {@code maxRows * cellHeight} pixels.
   */
  public static Fit pixels(int imageWidth, int imageHeight, int cellWidth, int cellHeight, int maxColumns, int maxRows) {
    int boxWidth = maxColumns * cellWidth;
    int boxHeight = maxRows * cellHeight;
    double scale = Math.min(1.0, Math.min((double) boxWidth / imageWidth, (double) boxHeight / imageHeight));
    int width = clamp(Math.round(imageWidth * scale), boxWidth);
    int height = clamp(Math.round(imageHeight * scale), boxHeight);
    return new Fit(width, height, ceilDiv(width, cellWidth), ceilDiv(height, cellHeight));
  }

  /**
   * For half blocks: one pixel per column and two per row. A half cell is {@code cellWidth} x
   * {@code cellHeight / 2} screen pixels, so the aspect ratio stays right on cells that are not
   * exactly twice as tall as wide.
   */
  public static Fit halfBlocks(int imageWidth, int imageHeight, int cellWidth, int cellHeight, int maxColumns, int maxRows) {
    double unitWidth = cellWidth;
    double unitHeight = cellHeight / 2.0;
    // Screen pixels per image pixel: fill the box, but never more than one image pixel per half cell.
    double scale = Math.min(
        Math.min(maxColumns * unitWidth / imageWidth, 2 * maxRows * unitHeight / imageHeight),
        Math.min(unitWidth, unitHeight));
    int width = clamp(Math.round(imageWidth * scale / unitWidth), Math.min(maxColumns, imageWidth));
    int height = clamp(Math.round(imageHeight * scale / unitHeight), Math.min(2 * maxRows, imageHeight));
    return new Fit(width, height, width, ceilDiv(height, 2));
  }

  private static int clamp(long value, int max) {
    return (int) Math.max(1, Math.min(value, max));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
