package dev.imagine.internal.render;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DEC sixel graphics: {@code ESC P 0;1;0 q "1;1;<w>;<h>}, the palette as
 * {@code #<i>;2;<r%>;<g%>;<b%>}, then the image in bands six pixels tall. In each band every
 * colour the band uses gets one pass ({@code #<i>} then one character per column whose six bits
 * say which of the six pixels have that colour), passes separated by {@code $} (back to the left
 * edge), bands by {@code -}. Runs of a character are written {@code !<count><char>}.
 *
 * <p>Pixel aspect 1:1 ({@code "1;1}) and {@code P2=1} (bits left at zero are not painted).
 * The palette is adaptive ({@link Quantizer}), at most 256 registers: what terminals offer.
 */
public final class SixelEncoder {
  /** Colour registers used at most; xterm, foot, mlterm and Windows Terminal have at least 256. */
  public static final int MAX_COLORS = 256;

  private SixelEncoder() {}

  /** The DCS sequence for opaque {@code 0xRRGGBB} pixels, from {@code ESC P} to {@code ESC \}. */
  public static String encode(int[] rgb, int width, int height) {
    return encode(rgb, width, height, MAX_COLORS);
  }

  /** Like {@link #encode(int[], int, int)} with at most {@code maxColors} registers (1 to 256). */
  public static String encode(int[] rgb, int width, int height, int maxColors) {
    Quantizer.Result q = Quantizer.quantize(rgb, maxColors);
    byte[] indices = q.indices();
    int[] palette = q.palette();

    Ascii out = new Ascii(width * height / 2 + 4096);
    out.append("\033P0;1;0q\"1;1;").number(width).append(';').number(height);
    for (int i = 0; i < palette.length; i++) {
      int p = palette[i];
      out.append('#').number(i).append(";2;").number(percent(p >> 16)).append(';')
          .number(percent(p >> 8)).append(';').number(percent(p));
    }

    // Reused for every band: the six bits of each (colour, column) and each colour's extent.
    byte[] bits = new byte[palette.length * width];
    int[] minX = new int[palette.length];
    int[] maxX = new int[palette.length];
    int[] seenInBand = new int[palette.length];
    int[] used = new int[palette.length];
    for (int top = 0, band = 1; top < height; top += 6, band++) {
      int usedCount = 0;
      int rows = Math.min(6, height - top);
      for (int r = 0; r < rows; r++) {
        byte bit = (byte) (1 << r);
        int row = (top + r) * width;
        for (int x = 0; x < width; x++) {
          int c = indices[row + x] & 0xFF;
          if (seenInBand[c] != band) {
            seenInBand[c] = band;
            used[usedCount++] = c;
            minX[c] = x;
            maxX[c] = x;
          } else if (x < minX[c]) {
            minX[c] = x;
          } else if (x > maxX[c]) {
            maxX[c] = x;
          }
          bits[c * width + x] |= bit;
        }
      }
      for (int u = 0; u < usedCount; u++) {
        int c = used[u];
        if (u > 0) {
          out.append('$');
        }
        out.append('#').number(c);
        // Columns left of the colour's first pixel are empty: they start the first run.
        int runChar = 0;
        int runLength = minX[c];
        int base = c * width;
        for (int x = minX[c], end = maxX[c]; x <= end; x++) {
          int b = bits[base + x];
          bits[base + x] = 0; // clean for the next band
          if (b == runChar) {
            runLength++;
          } else {
            run(out, runChar, runLength);
            runChar = b;
            runLength = 1;
          }
        }
        run(out, runChar, runLength);
      }
      if (top + 6 < height) {
        out.append('-');
      }
    }
    out.append("\033\\");
    return out.toString();
  }

  private static void run(Ascii out, int bits, int length) {
    char c = (char) ('?' + bits);
    if (length > 3) { // "!4x" is shorter than "xxxx"; at three they tie
      out.append('!').number(length).append(c);
    } else {
      for (int i = 0; i < length; i++) {
        out.append(c);
      }
    }
  }

  private static int percent(int channel) {
    return ((channel & 0xFF) * 100 + 127) / 255;
  }

  /** A growable ASCII buffer: a byte per character, half a {@code StringBuilder}'s copying. */
  private static final class Ascii {
    private byte[] buf;
    private int size;

    Ascii(int capacity) {
      buf = new byte[Math.max(64, capacity)];
    }

    Ascii append(char c) {
      if (size == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[size++] = (byte) c;
      return this;
    }

    Ascii append(String s) {
      for (int i = 0; i < s.length(); i++) {
        append(s.charAt(i));
      }
      return this;
    }

    Ascii number(int n) {
      if (n >= 10) {
        number(n / 10);
      }
      return append((char) ('0' + n % 10));
    }

    @Override
    public String toString() {
      return new String(buf, 0, size, StandardCharsets.ISO_8859_1);
    }
  }
}
