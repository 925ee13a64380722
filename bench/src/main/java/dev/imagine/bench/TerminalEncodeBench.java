package dev.imagine.bench;

import dev.imagine.render.GraphicsProtocol;
import dev.imagine.render.TerminalGeometry;
import dev.imagine.render.TerminalGraphics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one 1024x1024 photo-like image for a terminal with imagine's encoders (branch render).
 * Sixel and kitty at full size (a 103x52-cell box of 10x20-pixel cells holds all 1024x1024
 * pixels); half blocks into a 200x100-cell box (the image becomes 200x200 pixels, 100 rows).
 * {@code fromPng} includes decoding the PNG with ImageIO, as img2sixel decodes its input file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class TerminalEncodeBench {
  static final TerminalGeometry GEOMETRY = new TerminalGeometry(103, 52, 10, 20);

  @Param({"SIXEL", "KITTY", "BLOCKS"})
  public String protocol;

  BufferedImage image;
  byte[] png;
  GraphicsProtocol p;
  int maxColumns;
  int maxRows;

  @Setup
  public void setup() throws Exception {
    image = photo(1024, 1024);
    png = pngOf(image);
    p = GraphicsProtocol.valueOf(protocol);
    boolean blocks = p == GraphicsProtocol.BLOCKS;
    maxColumns = blocks ? 200 : 103;
    maxRows = blocks ? 100 : 52;
  }

  @Benchmark
  public String fromImage() {
    return TerminalGraphics.render(image, p, GEOMETRY, maxColumns, maxRows, false);
  }

  @Benchmark
  public String fromPng() {
    return TerminalGraphics.render(png, p, GEOMETRY, maxColumns, maxRows, false);
  }

  /** A colourful test picture: smooth hue fields, a few hard-edged shapes and faint noise. */
  static BufferedImage photo(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(7);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float hue = (float) (0.5 + 0.5 * Math.sin(x / 97.0) * Math.cos(y / 131.0));
        float sat = 0.4f + 0.6f * y / h;
        float bri = 0.3f + 0.7f * x / w;
        int rgb = java.awt.Color.HSBtoRGB(hue, sat, bri);
        if ((x - 300) * (x - 300) + (y - 400) * (y - 400) < 150 * 150) {
          rgb = 0xE04020;
        } else if (x > 620 && x < 900 && y > 600 && y < 800) {
          rgb = 0x2050D0;
        }
        int n = random.nextInt(9) - 4;
        int r = clamp((rgb >> 16 & 0xFF) + n);
        int g = clamp((rgb >> 8 & 0xFF) + n);
        int b = clamp((rgb & 0xFF) + n);
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return img;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  static byte[] pngOf(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
