package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.server.LocalBackend;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several images are drawn as one grid of tiles side by side, in every protocol: {@code n(4)} on
 * a 200-column terminal, and {@code show(list)} of two results. The drawn picture is read back
 * (kitty and iTerm2 PNG payloads, the sixel raster, the half-block text) and must be one picture
 * at least twice as wide as high: square images, at least two to a row.
 */
class GridRenderingTest {
  static final Duration SLOW = Duration.ofSeconds(60);
  static LocalBackend server;

  @BeforeAll
  static void startServer() {
    server = LocalBackend.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"kitty", "iterm", "sixel", "blocks"})
  void severalImagesAreOneGridSideBySide(String protocol, @TempDir Path dir) throws Exception {
    try (ReplHarness repl = new ReplHarness(dir, Map.of("IMAGINE_IMAGES", protocol,
        "OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "sk-unused"))) {
      repl.resize(200, 50);
      repl.await(0, "imagine>", SLOW);
      int m = repl.mark();
      repl.line("var four = images().prompt(\"four foxes\").size(\"1024x1024\").n(4).generate()");
      assertThat(repl.awaitNextPrompt(m, SLOW)).contains("✓ 4 images");
      assertGrid(protocol, repl.raw().substring(m));

      m = repl.mark();
      repl.line("show(java.util.List.of(images().prompt(\"a cat\").generate(), images().prompt(\"a dog\").generate()))");
      assertThat(repl.awaitNextPrompt(m, SLOW)).contains("✓ 1 image").doesNotContain("cannot draw");
      assertGrid(protocol, repl.raw().substring(m));
    }
  }

  /** One picture drawn, at least twice as wide as it is high. */
  private static void assertGrid(String protocol, String raw) throws Exception {
    int width, height, pictures;
    switch (protocol) {
      case "kitty" -> {
        pictures = count(raw, "\033_Ga=T");
        StringBuilder base64 = new StringBuilder();
        // the first drawing is preceded by the REPL's kitty query (a=q): read from the drawing on
        Matcher chunk = Pattern.compile("\033_G[^;]*;([^\033]*)\033\\\\").matcher(raw.substring(raw.indexOf("\033_Ga=T")));
        while (chunk.find()) {
          base64.append(chunk.group(1));
        }
        BufferedImage png = opaquePart(decode(base64.toString()));
        width = png.getWidth();
        height = png.getHeight();
      }
      case "iterm" -> {
        pictures = count(raw, "\033]1337;File=");
        Matcher file = Pattern.compile("\033]1337;File=[^:]*:([^\007]*)\007").matcher(raw);
        assertThat(file.find()).isTrue();
        BufferedImage png = decode(file.group(1));
        width = png.getWidth();
        height = png.getHeight();
      }
      case "sixel" -> {
        pictures = count(raw, "\033P");
        Matcher raster = Pattern.compile("\033P[^q]*q\"\\d+;\\d+;(\\d+);(\\d+)").matcher(raw);
        assertThat(raster.find()).isTrue();
        width = Integer.parseInt(raster.group(1));
        height = Integer.parseInt(raster.group(2));
      }
      default -> {
        // half blocks: each drawn line is one run of cells holding ▀, two pixels high
        String[] lines = ReplHarness.plain(raw).split("\n");
        int drawn = 0, widest = 0;
        for (String line : lines) {
          if (line.contains("▀")) {
            drawn++;
            widest = Math.max(widest, line.strip().length());
          }
        }
        pictures = drawn > 0 ? 1 : 0;
        width = widest;
        height = 2 * drawn;
      }
    }
    assertThat(pictures).as("one picture for all the images").isEqualTo(1);
    assertThat(width).as("a grid %dx%d: at least two square tiles side by side", width, height)
        .isGreaterThanOrEqualTo(height * 3 / 2);
  }

  private static BufferedImage decode(String base64) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    assertThat(image).as("the payload is an image").isNotNull();
    return image;
  }

  /** Kitty pads the picture to whole cells with transparent pixels: the opaque part is the grid. */
  private static BufferedImage opaquePart(BufferedImage image) {
    int w = 0, h = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) >>> 24) != 0) {
          w = Math.max(w, x + 1);
          h = Math.max(h, y + 1);
        }
      }
    }
    return image.getSubimage(0, 0, Math.max(1, w), Math.max(1, h));
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
