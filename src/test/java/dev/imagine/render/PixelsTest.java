package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.internal.render.Pixels;
import java.awt.image.BufferedImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PixelsTest {
  static BufferedImage copy(BufferedImage source, int type) {
    BufferedImage img = new BufferedImage(source.getWidth(), source.getHeight(), type);
    for (int y = 0; y < source.getHeight(); y++) {
      for (int x = 0; x < source.getWidth(); x++) {
        img.setRGB(x, y, source.getRGB(x, y));
      }
    }
    return img;
  }

  static BufferedImage translucentGradient() {
    BufferedImage img = TestImages.gradient(97, 61);
    BufferedImage argb = new BufferedImage(97, 61, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 61; y++) {
      for (int x = 0; x < 97; x++) {
        argb.setRGB(x, y, (x * 255 / 96) << 24 | img.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return argb;
  }

  @ParameterizedTest
  @ValueSource(ints = {BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR,
      BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_USHORT_565_RGB})
  void everyImageTypeReadsTheSamePixels(int type) {
    BufferedImage image = copy(translucentGradient(), type);
    int[] expected = image.getRGB(0, 0, 97, 61, null, 0, 97);

    assertThat(Pixels.scale(image, 97, 61)).isEqualTo(expected);
    assertThat(Pixels.scale(image, 40, 25)).isEqualTo(Pixels.scale(copy(image, BufferedImage.TYPE_INT_ARGB), 40, 25));
  }

  @Test
  void decodedPngsAndSubimagesReadTheSamePixels() {
    BufferedImage source = translucentGradient();
    BufferedImage decoded = TestImages.decode(TestImages.png(source)); // 4-byte ABGR interleaved
    assertThat(Pixels.scale(decoded, 97, 61)).isEqualTo(source.getRGB(0, 0, 97, 61, null, 0, 97));

    BufferedImage sub = copy(source, BufferedImage.TYPE_3BYTE_BGR).getSubimage(10, 7, 50, 30);
    assertThat(Pixels.scale(sub, 50, 30)).isEqualTo(sub.getRGB(0, 0, 50, 30, null, 0, 50));
  }

  @Test
  void areaAveragingWeighsPartialCoverage() {
    // Three pixels 0, 90, 180 shrunk to two: [0, 1.5) and [1.5, 3) -> (0 + 45) / 1.5 = 30, (45 + 180) / 1.5 = 150.
    BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x000000);
    img.setRGB(1, 0, 0x5A5A5A);
    img.setRGB(2, 0, 0xB4B4B4);

    assertThat(Pixels.scale(img, 2, 1)).containsExactly(0xFF1E1E1E, 0xFF969696);
  }

  @Test
  void transparentPixelsDoNotBleedTheirColour() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x00FF0000); // invisible red
    img.setRGB(1, 0, 0xFF0000FF);

    assertThat(Pixels.scale(img, 1, 1)).containsExactly(0x800000FF);
  }
}
