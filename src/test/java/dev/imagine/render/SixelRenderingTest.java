package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.internal.render.SixelEncoder;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SixelRenderingTest {
  static final TerminalGeometry GEOMETRY = TerminalGeometry.DEFAULT; // 80 x 24 cells of 10 x 20 px

  static String sixel(BufferedImage image, int maxColumns, int maxRows) {
    return TerminalGraphics.render(image, GraphicsProtocol.SIXEL, GEOMETRY, maxColumns, maxRows, false);
  }

  @Test
  void isOneDcsWithRasterAttributesAndEndsWithStAndNewline() {
    String s = sixel(TestImages.gradient(64, 30), 80, 24);

    assertThat(s).startsWith("\033P0;1;0q\"1;1;64;30#0;2;");
    assertThat(s).endsWith("\033\\\n");
    assertThat(s.indexOf("\033", 1)).isEqualTo(s.length() - 3); // no other escape inside
  }

  @Test
  void scalesToTheCellBoxKeepingTheAspectRatio() {
    // 1024 x 1024 into 80 x 24 cells of 10 x 20 px (800 x 480 px): 480 x 480.
    String s = sixel(TestImages.quadrants(1024, 1024), 80, 24);

    SixelDecoder.Decoded d = SixelDecoder.decode(s);
    assertThat(d.width()).isEqualTo(480);
    assertThat(d.height()).isEqualTo(480);
  }

  @Test
  void flatImageIsRunLengthEncoded() {
    String s = sixel(TestImages.flat(200, 60, 0x336699), 80, 24);

    // 10 bands of one colour, each a single run of all-six-bits characters.
    assertThat(s).contains("#0!200~-#0!200~");
    assertThat(s).doesNotContain("~~~~");
    assertThat(s.length()).isLessThan(150);
    assertThat(SixelDecoder.decode(s).registers()).isEqualTo(1);
  }

  @Test
  void decodesBackToTheSourceColoursExactlyWhenThereAreFew() {
    BufferedImage image = TestImages.quadrants(50, 40); // height not a multiple of 6

    SixelDecoder.Decoded d = SixelDecoder.decode(sixel(image, 80, 24));

    assertThat(d.registers()).isEqualTo(4);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 50; x++) {
        assertThat(d.painted(x, y)).isTrue();
        // Registers are in percent: 1 % is 2.55 levels.
        assertThat(TestImages.channelDistance(d.rgb(x, y), image.getRGB(x, y))).as("pixel %d,%d", x, y).isLessThanOrEqualTo(2);
      }
    }
  }

  @Test
  void manyColoursGetAtMost256RegistersAndDecodeCloseToTheSource() {
    BufferedImage image = TestImages.gradient(300, 200);
    assertThat(distinctColours(image)).isGreaterThan(5000);

    String s = sixel(image, 80, 24);
    SixelDecoder.Decoded d = SixelDecoder.decode(s);

    assertThat(d.registers()).isLessThanOrEqualTo(256).isGreaterThan(200);
    assertThat(maxRegisterNumber(s)).isLessThan(256);
    double squares = 0;
    int worst = 0;
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 300; x++) {
        assertThat(d.painted(x, y)).isTrue();
        int a = d.rgb(x, y);
        int b = image.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          int e = (a >> shift & 0xFF) - (b >> shift & 0xFF);
          squares += e * e;
        }
        worst = Math.max(worst, TestImages.channelDistance(a, b));
      }
    }
    double psnr = 10 * Math.log10(255.0 * 255 / (squares / (300 * 200 * 3)));
    // img2sixel -d none on the same picture: 31.0 dB.
    assertThat(psnr).as("PSNR").isGreaterThan(31.5);
    assertThat(worst).as("worst channel error").isLessThan(40);
  }

  @Test
  void transparentPixelsAreCompositedOverBlack() {
    BufferedImage image = new BufferedImage(12, 12, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 12; x++) {
        image.setRGB(x, y, x < 6 ? 0x00FFFFFF : 0x80FF0000); // clear white | half-transparent red
      }
    }
    SixelDecoder.Decoded d = SixelDecoder.decode(sixel(image, 80, 24));

    assertThat(d.rgb(0, 0)).isEqualTo(0x000000);
    assertThat(TestImages.channelDistance(d.rgb(11, 11), 0x800000)).isLessThanOrEqualTo(2);
  }

  @Test
  void encodesAnImageOfOnePixel() {
    SixelDecoder.Decoded d = SixelDecoder.decode(SixelEncoder.encode(new int[] {0xFFFFFF}, 1, 1));
    assertThat(d.width()).isEqualTo(1);
    assertThat(d.rgb(0, 0)).isEqualTo(0xFFFFFF);
  }

  @Test
  void insideTmuxTheWholeDcsIsWrapped() {
    String plain = sixel(TestImages.quadrants(20, 20), 80, 24);
    String wrapped = TerminalGraphics.render(TestImages.quadrants(20, 20), GraphicsProtocol.SIXEL, GEOMETRY, 80, 24, true);

    String body = plain.substring(0, plain.length() - 1);
    assertThat(wrapped).isEqualTo("\033Ptmux;" + body.replace("\033", "\033\033") + "\033\\\n");
  }

  static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  static int maxRegisterNumber(String sixel) {
    Matcher m = Pattern.compile("#(\\d+)").matcher(sixel);
    int max = -1;
    while (m.find()) {
      max = Math.max(max, Integer.parseInt(m.group(1)));
    }
    return max;
  }
}
