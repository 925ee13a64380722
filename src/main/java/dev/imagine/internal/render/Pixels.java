package dev.imagine.internal.render;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Pixel work shared by the encoders: area-averaging downscale, compositing over a background and
 * PNG encoding. Pixels travel as one {@code int[]} of ARGB values (not premultiplied), row by row.
 */
public final class Pixels {
  private Pixels() {}

  /**
   * The image scaled to {@code width x height} by area averaging: each target pixel is the mean
   * of the source area it covers, weighted by coverage, in premultiplied alpha so transparent
   * pixels don't bleed their (meaningless) colour into their neighbours. Only shrinks: a target
   * larger than the source on an axis keeps the source size there.
   */
  public static int[] scale(BufferedImage image, int width, int height) {
    int sw = image.getWidth();
    int sh = image.getHeight();
    int dw = Math.min(width, sw);
    int dh = Math.min(height, sh);
    RowReader reader = RowReader.of(image);
    if (dw == sw && dh == sh) {
      int[] all = new int[sw * sh];
      int[] line = new int[sw];
      for (int y = 0; y < sh; y++) {
        reader.read(y, line);
        System.arraycopy(line, 0, all, y * sw, sw);
      }
      return all;
    }
    Axis xs = new Axis(sw, dw);
    Axis ys = new Axis(sh, dh);
    int[] out = new int[dw * dh];
    int[] line = new int[sw];
    float[] row = new float[dw * 4];
    float[] current = new float[dw * 4];
    float[] next = new float[dw * 4];
    int outRow = 0;
    for (int y = 0; y < sh; y++) {
      // Source rows are visited in order and each touches at most two target rows, so two
      // accumulators are enough; memory stays a few rows whatever the image size.
      while (ys.first[y] > outRow) {
        unpremultiply(current, out, outRow * dw, dw);
        float[] t = current;
        current = next;
        next = t;
        Arrays.fill(next, 0f);
        outRow++;
      }
      reader.read(y, line);
      shrinkRow(line, xs, row);
      addRow(row, ys.firstWeight[y], current);
      if (ys.secondWeight[y] != 0f) {
        addRow(row, ys.secondWeight[y], next);
      }
    }
    unpremultiply(current, out, outRow * dw, dw);
    return out;
  }

  /** One source row into {@code row} as premultiplied (a, r, g, b) floats per target pixel. */
  private static void shrinkRow(int[] line, Axis xs, float[] row) {
    Arrays.fill(row, 0f);
    for (int x = 0; x < line.length; x++) {
      int p = line[x];
      float a = (p >>> 24) / 255f;
      if (a == 0f) {
        continue;
      }
      float r = (p >> 16 & 0xFF) * a;
      float g = (p >> 8 & 0xFF) * a;
      float b = (p & 0xFF) * a;
      int j = xs.first[x] * 4;
      float w = xs.firstWeight[x];
      row[j] += a * w;
      row[j + 1] += r * w;
      row[j + 2] += g * w;
      row[j + 3] += b * w;
      float w2 = xs.secondWeight[x];
      if (w2 != 0f) {
        row[j + 4] += a * w2;
        row[j + 5] += r * w2;
        row[j + 6] += g * w2;
        row[j + 7] += b * w2;
      }
    }
  }

  private static void addRow(float[] row, float weight, float[] into) {
    for (int i = 0; i < row.length; i++) {
      into[i] += row[i] * weight;
    }
  }

  private static void unpremultiply(float[] acc, int[] out, int offset, int width) {
    for (int x = 0; x < width; x++) {
      float a = acc[x * 4];
      if (a <= 0f) {
        out[offset + x] = 0;
        continue;
      }
      int alpha = channel(a * 255f);
      out[offset + x] = alpha << 24 | channel(acc[x * 4 + 1] / a) << 16 | channel(acc[x * 4 + 2] / a) << 8 | channel(acc[x * 4 + 3] / a);
    }
  }

  private static int channel(float v) {
    int i = (int) (v + 0.5f);
    return i < 0 ? 0 : Math.min(i, 255);
  }

  /** Composites in place over an opaque {@code 0xRRGGBB} background; every pixel ends opaque. */
  public static int[] composite(int[] argb, int backgroundRgb) {
    int br = backgroundRgb >> 16 & 0xFF;
    int bg = backgroundRgb >> 8 & 0xFF;
    int bb = backgroundRgb & 0xFF;
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      int a = p >>> 24;
      if (a == 255) {
        continue;
      }
      int r = ((p >> 16 & 0xFF) * a + br * (255 - a) + 127) / 255;
      int g = ((p >> 8 & 0xFF) * a + bg * (255 - a) + 127) / 255;
      int b = ((p & 0xFF) * a + bb * (255 - a) + 127) / 255;
      argb[i] = 0xFF000000 | r << 16 | g << 8 | b;
    }
    return argb;
  }

  /**
   * PNG bytes of the pixels, drawn in the top left of a {@code canvasWidth x canvasHeight}
   * transparent canvas (pass the pixel size itself for no padding). Opaque images are written
   * as RGB, a quarter smaller than RGBA.
   */
  public static byte[] png(int[] argb, int width, int height, int canvasWidth, int canvasHeight) {
    boolean padded = canvasWidth != width || canvasHeight != height;
    boolean alpha = padded || hasAlpha(argb);
    BufferedImage img = new BufferedImage(canvasWidth, canvasHeight, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, width, height, argb, 0, width);
    ByteArrayOutputStream out = new ByteArrayOutputStream(canvasWidth * canvasHeight + 1024);
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  static boolean hasAlpha(int[] argb) {
    for (int p : argb) {
      if (p >>> 24 != 255) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads one row of ARGB pixels. {@link BufferedImage#getRGB} converts every pixel through the
   * colour model, a third of the whole sixel time on a 1024x1024 image; the byte-interleaved
   * sRGB rasters ImageIO decodes PNG and JPEG into, and the packed-int ones, are read directly.
   */
  private interface RowReader {
    void read(int y, int[] line);

    static RowReader of(BufferedImage image) {
      int width = image.getWidth();
      WritableRaster raster = image.getRaster();
      ColorModel cm = image.getColorModel();
      int tx = raster.getSampleModelTranslateX();
      int ty = raster.getSampleModelTranslateY();
      if (raster.getDataBuffer() instanceof DataBufferByte buffer && buffer.getNumBanks() == 1
          && raster.getSampleModel() instanceof ComponentSampleModel sm
          && cm instanceof ComponentColorModel && cm.getColorSpace().isCS_sRGB() && !cm.isAlphaPremultiplied()
          && cm.getComponentSize().length == sm.getNumBands()
          && Arrays.stream(cm.getComponentSize()).allMatch(bits -> bits == 8)
          && (sm.getNumBands() == 3 || sm.getNumBands() == 4 && cm.hasAlpha())) {
        byte[] data = buffer.getData();
        int pixelStride = sm.getPixelStride();
        int scanlineStride = sm.getScanlineStride();
        int[] offsets = sm.getBandOffsets();
        int r = offsets[0];
        int g = offsets[1];
        int b = offsets[2];
        int a = sm.getNumBands() == 4 ? offsets[3] : -1;
        int origin = buffer.getOffset() - ty * scanlineStride - tx * pixelStride;
        return (y, line) -> {
          for (int x = 0, i = origin + y * scanlineStride; x < width; x++, i += pixelStride) {
            int alpha = a < 0 ? 0xFF : data[i + a] & 0xFF;
            line[x] = alpha << 24 | (data[i + r] & 0xFF) << 16 | (data[i + g] & 0xFF) << 8 | data[i + b] & 0xFF;
          }
        };
      }
      int type = image.getType();
      if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
          && raster.getDataBuffer() instanceof DataBufferInt buffer
          && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm) {
        int[] data = buffer.getData();
        int stride = sm.getScanlineStride();
        int origin = buffer.getOffset() - ty * stride - tx;
        int opaque = type == BufferedImage.TYPE_INT_RGB ? 0xFF000000 : 0;
        return (y, line) -> {
          int i = origin + y * stride;
          for (int x = 0; x < width; x++) {
            line[x] = data[i + x] | opaque;
          }
        };
      }
      return (y, line) -> image.getRGB(0, y, width, 1, line, 0, width);
    }
  }

  /**
   * How source pixels of one axis spread over target pixels when shrinking {@code from} to
   * {@code to}: source pixel {@code i} covers {@code [i*to, (i+1)*to)} and target pixel {@code j}
   * covers {@code [j*from, (j+1)*from)} in the same units, so each source pixel meets at most
   * two target pixels. Weights are normalised so each target's sum to one.
   */
  private static final class Axis {
    final int[] first;
    final float[] firstWeight;
    final float[] secondWeight;

    Axis(int from, int to) {
      first = new int[from];
      firstWeight = new float[from];
      secondWeight = new float[from];
      for (int i = 0; i < from; i++) {
        long start = (long) i * to;
        long end = start + to;
        int j = (int) (start / from);
        long boundary = (long) (j + 1) * from;
        first[i] = j;
        if (end <= boundary || j + 1 >= to) {
          firstWeight[i] = (float) to / from;
        } else {
          firstWeight[i] = (float) (boundary - start) / from;
          secondWeight[i] = (float) (end - boundary) / from;
        }
      }
    }
  }
}
