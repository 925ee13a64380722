package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HalfBlockRenderingTest {
  static final Pattern SGR = Pattern.compile("\033\\[([0-9;]*)m");

  static List<String> lines(String s) {
    assertThat(s).endsWith("\n");
    return List.of(s.substring(0, s.length() - 1).split("\n", -1));
  }

  static long blocks(String line) {
    return line.chars().filter(c -> c == '\u2580').count();
  }

  @Test
  void upperPixelIsTheForegroundLowerTheBackgroundAndRepeatsAreSkipped() {
    // Even rows red, odd rows blue: every cell is red over blue.
    BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        image.setRGB(x, y, y % 2 == 0 ? 0xFF0000 : 0x0000FF);
      }
    }
    String s = TerminalGraphics.render(image, GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 80, 24, false);

    String line = "\033[38;2;255;0;0m\033[48;2;0;0;255m" + "\u2580".repeat(6) + "\033[0m";
    assertThat(s).isEqualTo(line + "\n" + line + "\n");
  }

  @Test
  void colourChangesAlongALineAreSentOnlyWhereTheyHappen() {
    BufferedImage image = TestImages.quadrants(4, 2); // one line: red,red,green,green over blue,blue,white,white
    String s = TerminalGraphics.render(image, GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 80, 24, false);

    assertThat(s).isEqualTo("\033[38;2;255;0;0m\033[48;2;0;0;255m\u2580\u2580"
        + "\033[38;2;0;255;0m\033[48;2;255;255;255m\u2580\u2580\033[0m\n");
  }

  @Test
  void anOddLastRowLeavesTheLowerHalfOnTheDefaultBackground() {
    String s = TerminalGraphics.render(TestImages.flat(3, 5, 0x102030), GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 80, 24, false);

    List<String> lines = lines(s);
    assertThat(lines).hasSize(3); // ceil(5 / 2)
    assertThat(lines.get(2)).isEqualTo("\033[38;2;16;32;48m\u2580\u2580\u2580\033[0m");
  }

  @Test
  void fitsTheCellBoxWithOnePixelPerColumnAndTwoPerRow() {
    // 1024 x 512 into 40 x 10 cells: 40 columns, 20 pixels = 10 lines.
    String s = TerminalGraphics.render(TestImages.gradient(1024, 512), GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 40, 10, false);

    List<String> lines = lines(s);
    assertThat(lines).hasSize(10);
    assertThat(lines).allSatisfy(l -> {
      assertThat(blocks(l)).isEqualTo(40);
      assertThat(l).endsWith("\033[0m");
    });
  }

  @Test
  void tallImagesAreLimitedByRowsAndKeepTheirShape() {
    // 100 x 1000 into 80 x 10 cells: 20 pixels tall, so 2 wide; 10 lines.
    String s = TerminalGraphics.render(TestImages.gradient(100, 1000), GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 80, 10, false);

    List<String> lines = lines(s);
    assertThat(lines).hasSize(10);
    assertThat(blocks(lines.get(0))).isEqualTo(2);
  }

  @Test
  void smallImagesAreNotEnlarged() {
    String s = TerminalGraphics.render(TestImages.flat(5, 4, 0), GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 80, 24, false);

    assertThat(lines(s)).hasSize(2).allSatisfy(l -> assertThat(blocks(l)).isEqualTo(5));
  }

  @Test
  void areaAveragingMixesTheColoursOfWhatIsShrunk() {
    // Stripes of one pixel, black and white, shrunk 4 to 1: grey.
    BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        image.setRGB(x, y, x % 2 == 0 ? 0xFFFFFF : 0x000000);
      }
    }
    String s = TerminalGraphics.render(image, GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 10, 5, false);

    Matcher m = SGR.matcher(s);
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).isIn("38;2;128;128;128", "38;2;127;127;127");
  }

  @Test
  void tmuxChangesNothingForPlainText() {
    BufferedImage image = TestImages.quadrants(8, 8);
    assertThat(TerminalGraphics.render(image, GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 80, 24, true))
        .isEqualTo(TerminalGraphics.render(image, GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 80, 24, false));
  }
}
