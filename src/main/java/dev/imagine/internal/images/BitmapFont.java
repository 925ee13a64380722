package dev.imagine.internal.images;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A 5x7 pixel font for text drawn into images (the local backend's pictures, grid labels). Built
 * in rather than drawn with Java2D text, which needs system fonts (absent in slim containers and
 * headless JDKs) and is slower than setting a few pixels. Letters are drawn upper case; accents
 * are dropped; anything else becomes a box.
 */
public final class BitmapFont {
  public static final int WIDTH = 5;
  public static final int HEIGHT = 7;

  private static final String[] GLYPHS = {
      "A01110100011000111111100011000110001", "B11110100011000111110100011000111110",
      "C01110100011000010000100001000101110", "D11100100101000110001100011001011100",
      "E11111100001000011110100001000011111", "F11111100001000011110100001000010000",
      "G01110100011000010111100011000101111", "H10001100011000111111100011000110001",
      "I01110001000010000100001000010001110", "J00111000100001000010000101001001100",
      "K10001100101010011000101001001010001", "L10000100001000010000100001000011111",
      "M10001110111010110101100011000110001", "N10001100011100110101100111000110001",
      "O01110100011000110001100011000101110", "P11110100011000111110100001000010000",
      "Q01110100011000110001101011001001101", "R11110100011000111110101001001010001",
      "S01111100001000001110000010000111110", "T11111001000010000100001000010000100",
      "U10001100011000110001100011000101110", "V10001100011000110001100010101000100",
      "W10001100011000110101101011010101010", "X10001100010101000100010101000110001",
      "Y10001100011000101010001000010000100", "Z11111000010001000100010001000011111",
      "001110100011001110101110011000101110", "100100011000010000100001000010001110",
      "201110100010000100010001000100011111", "311111000100010000010000011000101110",
      "400010001100101010010111110001000010", "511111100001111000001000011000101110",
      "600110010001000011110100011000101110", "711111000010001000100010000100001000",
      "801110100011000101110100011000101110", "901110100011000101111000010001001100",
      "-00000000000000011111000000000000000", ".00000000000000000000000000110001100",
      ",00000000000000000000011000010001000", "!00100001000010000100001000000000100",
      "?01110100010000100010001000000000100", "'00100001000100000000000000000000000",
      "#01010010101111101010111110101001010", ":00000011000110000000011000110000000",
      "/00001000100001000100010000100010000", "&01100100101010001000101011001001101",
      "+00000001000010011111001000010000000", "(00010001000100001000010000010000010",
      ")01000001000001000010000100010001000", "\"01010010100000000000000000000000000",
  };
  private static final Map<Character, boolean[]> FONT = new HashMap<>();
  private static final boolean[] BOX = glyph("11111100011000110001100011000111111");
  private static final boolean[] SPACE = new boolean[WIDTH * HEIGHT];

  static {
    for (String g : GLYPHS) {
      FONT.put(g.charAt(0), glyph(g.substring(1)));
    }
  }

  private BitmapFont() {}

  private static boolean[] glyph(String bits) {
    boolean[] g = new boolean[WIDTH * HEIGHT];
    for (int i = 0; i < g.length; i++) {
      g[i] = bits.charAt(i) == '1';
    }
    return g;
  }

  /** The text as the font can draw it: upper case, accents removed, runs of blanks made one space. */
  public static String normalize(String text) {
    String plain = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    return plain.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  /** The pixels of one character, row-major 5x7; a box for characters the font lacks. */
  public static boolean[] glyph(char c) {
    if (c == ' ') {
      return SPACE;
    }
    return FONT.getOrDefault(c, BOX);
  }

  /** The width in pixels of {@code length} characters drawn at {@code scale} (one blank column after each). */
  public static int advance(int length, int scale) {
    return length * (WIDTH + 1) * scale;
  }

  /**
   * Draws {@code text} (as given: call {@link #normalize} first for free text) into row-major
   * pixels {@code px} of width {@code w} and height {@code h}, its top left at {@code (x0, y0)},
   * each font pixel a {@code scale x scale} square of {@code color}. Clipped to the image.
   */
  public static void draw(int[] px, int w, int h, String text, int x0, int y0, int scale, int color) {
    for (int i = 0; i < text.length(); i++) {
      boolean[] g = glyph(text.charAt(i));
      int gx = x0 + advance(i, scale);
      for (int gy = 0; gy < HEIGHT; gy++) {
        for (int gxx = 0; gxx < WIDTH; gxx++) {
          if (g[gy * WIDTH + gxx]) {
            int left = gx + gxx * scale, top = y0 + gy * scale;
            for (int y = Math.max(0, top); y < Math.min(h, top + scale); y++) {
              for (int x = Math.max(0, left); x < Math.min(w, left + scale); x++) {
                px[y * w + x] = color;
              }
            }
          }
        }
      }
    }
  }
}
