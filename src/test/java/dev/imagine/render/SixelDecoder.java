package dev.imagine.render;

import java.util.BitSet;

/**
 * A small sixel decoder, enough to check the encoder: raster attributes, colour definitions in
 * RGB percent, colour selection, repeats, {@code $} and {@code -}. Unpainted pixels stay 0
 * (transparent).
 */
final class SixelDecoder {
  record Decoded(int width, int height, int[] argb, int registers) {
    int rgb(int x, int y) {
      return argb[y * width + x] & 0xFFFFFF;
    }

    boolean painted(int x, int y) {
      return argb[y * width + x] != 0;
    }
  }

  private final String s;
  private int pos;

  private SixelDecoder(String s) {
    this.s = s;
  }

  static Decoded decode(String sixel) {
    return new SixelDecoder(sixel).run();
  }

  private Decoded run() {
    if (!s.startsWith("\033P")) {
      throw new IllegalArgumentException("no DCS");
    }
    pos = s.indexOf('q') + 1;
    int end = s.indexOf("\033\\", pos);
    if (pos == 0 || end < 0) {
      throw new IllegalArgumentException("no q or no ST");
    }
    if (s.charAt(pos) != '"') {
      throw new IllegalArgumentException("no raster attributes");
    }
    pos++;
    number(); // pixel aspect numerator
    expect(';');
    number(); // denominator
    expect(';');
    int width = number();
    expect(';');
    int height = number();
    int[] palette = new int[1024];
    BitSet defined = new BitSet();
    int[] argb = new int[width * height];
    int x = 0;
    int top = 0;
    int color = 0;
    while (pos < end) {
      char c = s.charAt(pos++);
      if (c == '#') {
        int n = number();
        if (pos < end && s.charAt(pos) == ';') {
          pos++;
          int space = number();
          if (space != 2) {
            throw new IllegalArgumentException("colour space " + space);
          }
          expect(';');
          int r = number();
          expect(';');
          int g = number();
          expect(';');
          int b = number();
          palette[n] = scale(r) << 16 | scale(g) << 8 | scale(b);
          defined.set(n);
        } else {
          color = n;
        }
      } else if (c == '$') {
        x = 0;
      } else if (c == '-') {
        x = 0;
        top += 6;
      } else if (c == '!') {
        int count = number();
        char ch = s.charAt(pos++);
        for (int i = 0; i < count; i++) {
          paint(argb, width, height, x++, top, ch - '?', palette[color]);
        }
      } else if (c >= '?' && c <= '~') {
        paint(argb, width, height, x++, top, c - '?', palette[color]);
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' at " + pos);
      }
    }
    return new Decoded(width, height, argb, defined.cardinality());
  }

  private static void paint(int[] argb, int width, int height, int x, int top, int bits, int rgb) {
    for (int r = 0; r < 6; r++) {
      int y = top + r;
      if ((bits >> r & 1) != 0 && x < width && y < height) {
        argb[y * width + x] = 0xFF000000 | rgb;
      }
    }
  }

  private static int scale(int percent) {
    return Math.round(percent * 255 / 100f);
  }

  private int number() {
    int start = pos;
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("number expected at " + pos);
    }
    return Integer.parseInt(s.substring(start, pos));
  }

  private void expect(char c) {
    if (s.charAt(pos++) != c) {
      throw new IllegalArgumentException("'" + c + "' expected at " + (pos - 1));
    }
  }
}
