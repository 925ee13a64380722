package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KittyRenderingTest {
  static final Pattern APC = Pattern.compile("\033_G([^;\033]*);([^\033]*)\033\\\\");

  record Chunk(String keys, String payload) {}

  static List<Chunk> chunks(String s) {
    List<Chunk> chunks = new ArrayList<>();
    Matcher m = APC.matcher(s);
    int end = 0;
    while (m.find()) {
      assertThat(m.start()).as("nothing between escapes").isEqualTo(end);
      chunks.add(new Chunk(m.group(1), m.group(2)));
      end = m.end();
    }
    assertThat(s.substring(end)).as("after the last escape").isEqualTo("\n");
    return chunks;
  }

  static byte[] payload(List<Chunk> chunks) {
    ByteArrayOutputStream base64 = new ByteArrayOutputStream();
    chunks.forEach(c -> base64.writeBytes(c.payload().getBytes()));
    return Base64.getDecoder().decode(base64.toByteArray());
  }

  @Test
  void sendsThePngInChunksOfAtMost4096WithTheKeysOnlyOnTheFirst() {
    BufferedImage image = TestImages.noise(200, 200, 42); // incompressible: ~160 kB of base64
    String s = TerminalGraphics.render(image, GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 80, 24, false);

    List<Chunk> chunks = chunks(s);
    assertThat(chunks).hasSizeGreaterThan(30);
    assertThat(chunks.get(0).keys()).isEqualTo("a=T,f=100,q=2,c=20,r=10,m=1");
    for (Chunk c : chunks.subList(1, chunks.size() - 1)) {
      assertThat(c.keys()).isEqualTo("m=1");
      assertThat(c.payload()).hasSize(4096);
    }
    assertThat(chunks.get(0).payload()).hasSize(4096);
    assertThat(chunks.get(chunks.size() - 1).keys()).isEqualTo("m=0");
    assertThat(chunks.get(chunks.size() - 1).payload().length()).isBetween(1, 4096);

    // 200 x 200 px are exactly 20 x 10 cells of 10 x 20 px: the PNG is the image itself.
    BufferedImage png = TestImages.decode(payload(chunks));
    assertThat(png.getWidth()).isEqualTo(200);
    assertThat(png.getHeight()).isEqualTo(200);
    for (int y = 0; y < 200; y += 7) {
      for (int x = 0; x < 200; x += 3) {
        assertThat(png.getRGB(x, y)).isEqualTo(image.getRGB(x, y));
      }
    }
  }

  @Test
  void aSmallImageIsOneEscapeWithMZero() {
    String s = TerminalGraphics.render(TestImages.flat(30, 40, 0xFF8800), GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 80, 24, false);

    List<Chunk> chunks = chunks(s);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).keys()).isEqualTo("a=T,f=100,q=2,c=3,r=2,m=0");
  }

  @Test
  void scalesDownAndPadsToWholeCellsWithTransparencySoKittyDoesNotStretchIt() {
    // 1050 x 500 into 40 x 10 cells (400 x 200 px): 400 x 190 px, drawn over 40 x 10 cells.
    BufferedImage image = TestImages.quadrants(1050, 500);
    String s = TerminalGraphics.render(image, GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 40, 10, false);

    List<Chunk> chunks = chunks(s);
    assertThat(chunks.get(0).keys()).startsWith("a=T,f=100,q=2,c=40,r=10,");
    BufferedImage png = TestImages.decode(payload(chunks));
    assertThat(png.getWidth()).isEqualTo(400);
    assertThat(png.getHeight()).isEqualTo(200);
    assertThat(png.getRGB(10, 10)).isEqualTo(0xFFFF0000);
    assertThat(png.getRGB(390, 180)).isEqualTo(0xFFFFFFFF);
    assertThat(png.getRGB(200, 189) >>> 24).isEqualTo(255);
    assertThat(png.getRGB(200, 190) >>> 24).as("padding row").isZero();
  }

  @Test
  void keepsTheAlphaChannel() {
    BufferedImage image = new BufferedImage(10, 20, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x80123456);
    String s = TerminalGraphics.render(image, GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 80, 24, false);

    BufferedImage png = TestImages.decode(payload(chunks(s)));
    assertThat(png.getRGB(0, 0)).isEqualTo(0x80123456);
    assertThat(png.getRGB(5, 5)).isZero();
  }

  @Test
  void sendsTheCallersPngUntouchedWhenItFitsWholeCells() {
    byte[] original = TestImages.png(TestImages.noise(100, 60, 1));
    String s = TerminalGraphics.render(original, GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 80, 24, false);

    assertThat(payload(chunks(s))).isEqualTo(original);
  }

  @Test
  void insideTmuxEveryChunkIsWrappedWithItsEscapesDoubled() {
    BufferedImage image = TestImages.noise(100, 100, 7);
    String plain = TerminalGraphics.render(image, GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 80, 24, false);
    String wrapped = TerminalGraphics.render(image, GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 80, 24, true);

    StringBuilder expected = new StringBuilder();
    Matcher m = APC.matcher(plain);
    int count = 0;
    while (m.find()) {
      expected.append("\033Ptmux;").append(m.group().replace("\033", "\033\033")).append("\033\\");
      count++;
    }
    assertThat(count).isGreaterThan(1);
    assertThat(wrapped).isEqualTo(expected.append('\n').toString());
  }
}
