package dev.imagine.internal.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * The picture an edit or a variation starts from, and an edit's mask, decoded at most once (on
 * the first cache miss, so a cached answer never decodes) and resampled to the output size.
 */
final class PaintInput {
  /** Pixels at the output size: the input as {@code 0xAARRGGBB}, and where the mask asks for new paint. */
  record Pixels(int[] argb, boolean[] repaint) {
    /** Whether there was a mask; without one the whole picture is changed. */
    boolean masked() {
      return repaint != null;
    }
  }

  private record Decoded(BufferedImage image, BufferedImage mask) {}

  private final byte[] image;
  private final byte[] mask;
  private Decoded decoded;
  private boolean tried;

  /** @param mask the mask file's bytes, or null */
  PaintInput(byte[] image, byte[] mask) {
    this.image = image;
    this.mask = mask;
  }

  /** The pixels at {@code w x h}, or null when the input cannot be decoded (then a fresh picture is drawn). */
  Pixels at(int w, int h) {
    Decoded d = decode();
    if (d == null) {
      return null;
    }
    int[] argb = resample(d.image(), w, h);
    boolean[] repaint = null;
    if (d.mask() != null) {
      int[] m = resample(d.mask(), w, h);
      repaint = new boolean[m.length];
      for (int i = 0; i < m.length; i++) {
        repaint[i] = m[i] >>> 24 < 128; // as the Images API: transparent areas of the mask are edited
      }
    }
    return new Pixels(argb, repaint);
  }

  private synchronized Decoded decode() {
    if (!tried) {
      tried = true;
      BufferedImage img = read(image);
      if (img != null) {
        decoded = new Decoded(img, mask == null ? null : read(mask));
      }
    }
    return decoded;
  }

  private static BufferedImage read(byte[] bytes) {
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      return null; // a format this JVM cannot read (e.g. webp without a plug-in): draw a fresh picture
    }
  }

  /** Nearest-neighbour scaling: enough for a stand-in picture, and fast. */
  private static int[] resample(BufferedImage img, int w, int h) {
    int sw = img.getWidth(), sh = img.getHeight();
    int[] src = img.getRGB(0, 0, sw, sh, null, 0, sw);
    if (sw == w && sh == h) {
      return src;
    }
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      int row = (int) ((long) y * sh / h) * sw;
      for (int x = 0; x < w; x++) {
        out[y * w + x] = src[row + (int) ((long) x * sw / w)];
      }
    }
    return out;
  }
}
