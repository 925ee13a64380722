package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ITermRenderingTest {
  static final Pattern OSC = Pattern.compile("\033]1337;File=([^:\007]*):([A-Za-z0-9+/=]*)\007\n");

  @Test
  void isOneOsc1337WithSizeCellsAndADecodablePng() {
    BufferedImage image = TestImages.quadrants(1024, 1024);
    String s = TerminalGraphics.render(image, GraphicsProtocol.ITERM, TerminalGeometry.DEFAULT, 80, 24, false);

    Matcher m = OSC.matcher(s);
    assertThat(m.matches()).as("whole output is one OSC 1337 and a newline").isTrue();
    byte[] png = Base64.getDecoder().decode(m.group(2));
    // 480 x 480 px: 48 x 24 cells of 10 x 20 px.
    assertThat(m.group(1)).isEqualTo("inline=1;size=" + png.length + ";width=48;height=24;preserveAspectRatio=1");
    BufferedImage decoded = TestImages.decode(png);
    assertThat(decoded.getWidth()).isEqualTo(480);
    assertThat(decoded.getHeight()).isEqualTo(480);
    assertThat(decoded.getRGB(100, 100)).isEqualTo(0xFFFF0000);
    assertThat(decoded.getRGB(400, 400)).isEqualTo(0xFFFFFFFF);
  }

  @Test
  void sendsTheCallersJpegUntouchedWhenNoScalingIsNeeded() {
    byte[] jpeg = TestImages.encode(TestImages.gradient(64, 48), "jpg");
    String s = TerminalGraphics.render(jpeg, GraphicsProtocol.ITERM, TerminalGeometry.DEFAULT, 80, 24, false);

    Matcher m = OSC.matcher(s);
    assertThat(m.matches()).isTrue();
    assertThat(Base64.getDecoder().decode(m.group(2))).isEqualTo(jpeg);
    assertThat(m.group(1)).contains("size=" + jpeg.length + ";width=7;height=3;");
  }

  @Test
  void insideTmuxTheOscIsWrapped() {
    String s = TerminalGraphics.render(TestImages.flat(10, 10, 0x123456), GraphicsProtocol.ITERM, TerminalGeometry.DEFAULT, 80, 24, true);

    assertThat(s).startsWith("\033Ptmux;\033\033]1337;File=inline=1;").endsWith("\007\033\\\n");
  }
}
