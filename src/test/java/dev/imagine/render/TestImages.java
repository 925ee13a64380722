package dev.imagine.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Images made in code, so no binary is committed. */
final class TestImages {
  private TestImages() {}

  static BufferedImage flat(int width, int height, int rgb) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  /** Smooth hues left to right, darker towards the bottom: thousands of colours, like a photo. */
  static BufferedImage gradient(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float hue = (float) x / width;
        float brightness = 1f - 0.8f * y / height;
        img.setRGB(x, y, java.awt.Color.HSBtoRGB(hue, 0.3f + 0.7f * y / height, brightness));
      }
    }
    return img;
  }

  /** Random pixels: a PNG that does not compress, to force many kitty chunks. */
  static BufferedImage noise(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return img;
  }

  /** Four flat quadrants: red, green, blue, white. */
  static BufferedImage quadrants(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] colors = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF};
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, colors[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]);
      }
    }
    return img;
  }

  static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      if (img == null) {
        throw new AssertionError("not an image ImageIO can read (" + bytes.length + " bytes)");
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Largest per-channel difference between two RGB values. */
  static int channelDistance(int a, int b) {
    int d = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      d = Math.max(d, Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF)));
    }
    return d;
  }
}
