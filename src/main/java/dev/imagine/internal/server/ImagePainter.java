package dev.imagine.internal.server;

import dev.imagine.internal.images.BitmapFont;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the backend's images: a gradient in a palette taken from the prompt's hash, a few shapes
 * placed by the hash and the image index, the prompt's words in a band, and a fine grain that
 * gives the PNG the weight of a real generated image (1-2 MB at 1024x1024). An edit starts from its
 * input picture (only the mask's transparent area repainted; without a mask, the shapes and words
 * drawn over it), a variation is its input with the hues turned, and every picture has its model,
 * size and quality written small in the lower right corner. Everything is a pure function of the
 * {@link Spec} and the input, so the same request gives the same bytes.
 */
final class ImagePainter {
  private static final int GRAIN = 6;
  private static final int MAX_TEXT_LINES = 4;

  private ImagePainter() {}

  /**
   * What to draw.
   *
   * @param salt mixed into the layout, e.g. a hash of an edit's input images; 0 for generations
   * @param preview 0 for the final image; k &gt; 0 for a blocky preview with blocks of 2^(k+1) pixels
   */
  record Spec(String prompt, long salt, int width, int height, int index, boolean transparent, int preview,
      Kind kind, String model, String quality) {}

  /** Which endpoint the picture is for. */
  enum Kind { GENERATION, EDIT, VARIATION }

  /**
   * The pixels, row-major {@code 0xAARRGGBB}.
   *
   * @param input an edit's or variation's picture, or null for a generation
   */
  static int[] paint(Spec spec, PaintInput input) {
    PaintInput.Pixels from = input == null || spec.kind() == Kind.GENERATION ? null
        : input.at(spec.width(), spec.height());
    int[] px;
    if (from != null && spec.kind() == Kind.VARIATION) {
      px = turnHues(from.argb(), spec.salt() + spec.index());
      grain(px, mix(spec.salt() ^ spec.index()));
    } else {
      px = draw(spec, from != null && !from.masked() ? from.argb() : null);
      if (from != null && from.masked()) {
        keepUnmasked(px, from);
      }
    }
    corner(px, spec);
    return px;
  }

  /** A fresh picture, or (when {@code base} is given) the shapes and words drawn over {@code base}. */
  private static int[] draw(Spec spec, int[] base) {
    byte[] hash = sha256(spec.prompt());
    int w = spec.width(), h = spec.height();
    int[] px = base != null ? base.clone() : new int[w * h];
    long layout = mix(ByteBuffer.wrap(hash).getLong() ^ spec.salt() * 0x9E3779B97F4A7C15L
        ^ ((long) spec.index() << 40) ^ ((long) w << 20) ^ h);

    float hue = (hash[8] & 0xff) / 255f;
    float hueSpread = 0.15f + (hash[9] & 0xff) / 255f * 0.35f;
    int c0 = hsb(hue, 0.55f + (hash[10] & 0x3f) / 255f, 0.35f + (hash[11] & 0x3f) / 255f);
    int c1 = hsb(hue + hueSpread, 0.45f + (hash[12] & 0x3f) / 255f, 0.75f + (hash[13] & 0x3f) / 400f);

    if (base == null && !spec.transparent()) {
      gradient(px, w, h, c0, c1, (hash[14] & 0xff) / 255.0 * Math.PI * 2);
    }
    int shapes = 4 + (int) ((layout >>> 60) & 3);
    for (int s = 0; s < shapes; s++) {
      layout = mix(layout + s);
      int color = hsb(hue + hueSpread * ((layout >>> 8) & 0xff) / 128f, 0.6f, 0.55f + ((layout >>> 16) & 0x3f) / 160f);
      int cx = (int) Math.floorMod(layout >>> 24, (long) w);
      int cy = (int) Math.floorMod(layout >>> 40, (long) h);
      int r = Math.max(2, (int) ((Math.min(w, h) / 16) * (1 + ((layout >>> 4) & 3))));
      switch ((int) (layout & 3)) {
        case 0 -> disc(px, w, h, cx, cy, r, 0, color);
        case 1 -> disc(px, w, h, cx, cy, r, r * 3 / 4, color);
        default -> rect(px, w, h, cx - r, cy - r / 2, 2 * r, r, color);
      }
    }
    words(px, w, h, spec.prompt(), spec.index());
    if (spec.preview() > 0) {
      pixelate(px, w, h, 1 << (spec.preview() + 1));
    } else {
      grain(px, layout);
    }
    return px;
  }

  private static void keepUnmasked(int[] px, PaintInput.Pixels from) {
    int[] in = from.argb();
    boolean[] repaint = from.repaint();
    for (int i = 0; i < px.length; i++) {
      if (!repaint[i]) {
        px[i] = in[i];
      }
    }
  }

  /**
   * Turns every hue by an angle between 60 and 300 degrees taken from {@code seed}, keeping the
   * light and dark where they were (a rotation about the grey axis of RGB).
   */
  private static int[] turnHues(int[] in, long seed) {
    double angle = Math.toRadians(60 + Math.floorMod(mix(seed), 241));
    double cos = Math.cos(angle), sin = Math.sin(angle), third = 1 / 3.0, root = Math.sqrt(third);
    double a = cos + (1 - cos) * third, b = third * (1 - cos) - root * sin, c = third * (1 - cos) + root * sin;
    int[] out = new int[in.length];
    for (int i = 0; i < in.length; i++) {
      int p = in[i];
      int r = (p >>> 16) & 0xff, g = (p >>> 8) & 0xff, bl = p & 0xff;
      out[i] = (p & 0xFF000000) | clamp((int) (a * r + b * g + c * bl)) << 16
          | clamp((int) (c * r + a * g + b * bl)) << 8 | clamp((int) (b * r + c * g + a * bl));
    }
    return out;
  }

  /** "MODEL SIZE QUALITY", small, on a dark box in the lower right corner. */
  private static void corner(int[] px, Spec spec) {
    int w = spec.width(), h = spec.height();
    String text = BitmapFont.normalize(spec.model() + " " + w + "x" + h + " " + spec.quality());
    int scale = Math.max(1, Math.min(w, h) / 512);
    int textWidth = BitmapFont.advance(text.length(), scale);
    int boxWidth = Math.min(w, textWidth + 3 * scale), boxHeight = Math.min(h, (BitmapFont.HEIGHT + 4) * scale);
    for (int y = h - boxHeight; y < h; y++) {
      for (int x = w - boxWidth; x < w; x++) {
        int p = px[y * w + x];
        px[y * w + x] = p >>> 24 == 0 ? 0xB0000000 : 0xFF000000 | (p >> 2) & 0x3f3f3f;
      }
    }
    BitmapFont.draw(px, w, h, text, w - boxWidth + 2 * scale, h - boxHeight + 2 * scale, scale, 0xFFFFFFFF);
  }

  private static void gradient(int[] px, int w, int h, int c0, int c1, double angle) {
    int[] ramp = new int[1024];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = lerp(c0, c1, i / 1023f);
    }
    double dx = Math.cos(angle), dy = Math.sin(angle);
    double min = Math.min(0, dx * (w - 1)) + Math.min(0, dy * (h - 1));
    double span = Math.abs(dx) * (w - 1) + Math.abs(dy) * (h - 1) + 1;
    // fixed point: t = (x*dx + y*dy - min) / span * 1023, stepped per pixel
    long stepX = (long) (dx / span * 1023 * 65536);
    for (int y = 0; y < h; y++) {
      long t = (long) ((y * dy - min) / span * 1023 * 65536);
      int row = y * w;
      for (int x = 0; x < w; x++, t += stepX) {
        px[row + x] = ramp[(int) Math.max(0, Math.min(1023, t >> 16))];
      }
    }
  }

  private static void disc(int[] px, int w, int h, int cx, int cy, int r, int hole, int color) {
    long r2 = (long) r * r, h2 = (long) hole * hole;
    for (int y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
      long dy2 = (long) (y - cy) * (y - cy);
      for (int x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
        long d2 = dy2 + (long) (x - cx) * (x - cx);
        if (d2 <= r2 && d2 >= h2) {
          px[y * w + x] = blend(px[y * w + x], color);
        }
      }
    }
  }

  private static void rect(int[] px, int w, int h, int x0, int y0, int rw, int rh, int color) {
    for (int y = Math.max(0, y0); y < Math.min(h, y0 + rh); y++) {
      for (int x = Math.max(0, x0); x < Math.min(w, x0 + rw); x++) {
        px[y * w + x] = blend(px[y * w + x], color);
      }
    }
  }

  /** The prompt's words, wrapped, in a darkened band across the lower part; the index in a corner. */
  private static void words(int[] px, int w, int h, String prompt, int index) {
    int scale = Math.max(1, Math.min(w, h * 2) / 170);
    int advance = (BitmapFont.WIDTH + 1) * scale;
    int perLine = Math.max(1, (w - 2 * advance) / advance);
    List<String> lines = wrap(BitmapFont.normalize(prompt), perLine);
    int lineHeight = (BitmapFont.HEIGHT + 3) * scale;
    int bandHeight = lines.size() * lineHeight + 2 * scale;
    int bandTop = Math.max(0, h - bandHeight - h / 10);
    for (int y = bandTop; y < Math.min(h, bandTop + bandHeight); y++) {
      for (int x = 0; x < w; x++) {
        int p = px[y * w + x];
        px[y * w + x] = p >>> 24 == 0 ? 0xB0000000 : 0xFF000000 | (p >> 2) & 0x3f3f3f;
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int x = (w - line.length() * advance) / 2;
      BitmapFont.draw(px, w, h, line, x, bandTop + 2 * scale + i * lineHeight, scale, 0xFFFFFFFF);
    }
    String label = "#" + (index + 1);
    BitmapFont.draw(px, w, h, label, advance / 2, advance / 2, Math.max(1, scale / 2), 0xFFFFFFFF);
  }

  private static List<String> wrap(String text, int perLine) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.isEmpty() ? new String[0] : text.split(" ")) {
      while (word.length() > perLine) {
        flush(lines, line);
        lines.add(word.substring(0, perLine));
        word = word.substring(perLine);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > perLine) {
        flush(lines, line);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    flush(lines, line);
    if (lines.size() > MAX_TEXT_LINES) {
      List<String> cut = new ArrayList<>(lines.subList(0, MAX_TEXT_LINES));
      String last = cut.get(MAX_TEXT_LINES - 1);
      cut.set(MAX_TEXT_LINES - 1, last.substring(0, Math.min(last.length(), Math.max(0, perLine - 3))) + "...");
      return cut;
    }
    return lines;
  }

  private static void flush(List<String> lines, StringBuilder line) {
    if (line.length() > 0) {
      lines.add(line.toString());
      line.setLength(0);
    }
  }

  /** A lower-quality preview: each block takes the colour of its top-left pixel. */
  private static void pixelate(int[] px, int w, int h, int block) {
    for (int y = 0; y < h; y++) {
      int src = (y - y % block) * w;
      for (int x = 0; x < w; x++) {
        px[y * w + x] = px[src + x - x % block];
      }
    }
  }

  /** Noise of a few levels per channel on opaque pixels, as a photo or a diffusion model has. */
  private static void grain(int[] px, long seed) {
    long s = seed | 1;
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      if (p >>> 24 != 0xFF) {
        continue;
      }
      s ^= s << 13;
      s ^= s >>> 7;
      s ^= s << 17;
      int r = clamp(((p >>> 16) & 0xff) + (int) ((s & 0xf) % (2 * GRAIN + 1)) - GRAIN);
      int g = clamp(((p >>> 8) & 0xff) + (int) (((s >>> 8) & 0xf) % (2 * GRAIN + 1)) - GRAIN);
      int b = clamp((p & 0xff) + (int) (((s >>> 16) & 0xf) % (2 * GRAIN + 1)) - GRAIN);
      px[i] = 0xFF000000 | r << 16 | g << 8 | b;
    }
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }

  /** Half the shape's colour over an opaque pixel; the shape alone over a transparent one. */
  private static int blend(int under, int color) {
    if (under >>> 24 == 0) {
      return 0xFF000000 | color;
    }
    return 0xFF000000 | (((under & 0xfefefe) >>> 1) + ((color & 0xfefefe) >>> 1));
  }

  private static int lerp(int a, int b, float t) {
    int r = (int) (((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
    int g = (int) (((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
    int bl = (int) ((a & 0xff) * (1 - t) + (b & 0xff) * t);
    return 0xFF000000 | r << 16 | g << 8 | bl;
  }

  private static int hsb(float hue, float sat, float bri) {
    return java.awt.Color.HSBtoRGB(hue - (float) Math.floor(hue), Math.min(1, sat), Math.min(1, bri)) | 0xFF000000;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
