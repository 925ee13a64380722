package dev.imagine.render;

/**
 * A terminal's size in cells, and the size in pixels of one cell.
 *
 * <p>Zero or negative values mean "unknown" and are replaced by the defaults of {@link #DEFAULT}
 * (80 x 24 cells of 10 x 20 pixels), so {@code new TerminalGeometry(size.getColumns(),
 * size.getRows(), 0, 0)} is a valid geometry for a terminal that did not report its cell size.
 *
 * @param columns width of the terminal in cells
 * @param rows height of the terminal in cells
 * @param cellWidth width of one cell in pixels
 * @param cellHeight height of one cell in pixels
 */
public record TerminalGeometry(int columns, int rows, int cellWidth, int cellHeight) {
  /** 80 x 24 cells of 10 x 20 pixels: what a terminal that tells nothing is assumed to be. */
  public static final TerminalGeometry DEFAULT = new TerminalGeometry(80, 24, 10, 20);

  public TerminalGeometry {
    columns = columns > 0 ? columns : 80;
    rows = rows > 0 ? rows : 24;
    cellWidth = cellWidth > 0 ? cellWidth : 10;
    cellHeight = cellHeight > 0 ? cellHeight : 20;
  }
}
