package dev.imagine.internal.render;

/**
 * Unicode half blocks: each cell is an upper half block {@code ▀} whose foreground is the upper
 * pixel and whose background is the lower one, in 24-bit colour. Works in any terminal with
 * truecolor, no graphics protocol needed.
 */
public final class HalfBlockEncoder {
  private HalfBlockEncoder() {}

  /**
   * One line per two rows of opaque {@code 0xRRGGBB} pixels, each ending with a reset and a
   * newline. Colours are only sent when they change along a line: flat areas cost one byte
   * per cell plus the block's three.
   */
  public static String encode(int[] rgb, int width, int height) {
    StringBuilder out = new StringBuilder(width * ((height + 1) / 2) * 12 + 16);
    for (int y = 0; y < height; y += 2) {
      boolean lower = y + 1 < height; // an odd last row leaves the lower half on the default background
      int fg = -1;
      int bg = -1;
      for (int x = 0; x < width; x++) {
        int top = rgb[y * width + x] & 0xFFFFFF;
        if (top != fg) {
          sgr(out, 38, top);
          fg = top;
        }
        if (lower) {
          int bottom = rgb[(y + 1) * width + x] & 0xFFFFFF;
          if (bottom != bg) {
            sgr(out, 48, bottom);
            bg = bottom;
          }
        }
        out.append('\u2580');
      }
      // Reset before the newline, so a background colour never bleeds to the end of the line.
      out.append("\033[0m\n");
    }
    return out.toString();
  }

  private static void sgr(StringBuilder out, int code, int rgb) {
    out.append("\033[").append(code).append(";2;")
        .append(rgb >> 16 & 0xFF).append(';').append(rgb >> 8 & 0xFF).append(';').append(rgb & 0xFF).append('m');
  }
}
