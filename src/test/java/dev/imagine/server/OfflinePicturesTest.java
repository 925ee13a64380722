package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The local backend's pictures show what was asked: edits keep their input, variations turn it, the corner names the options. */
class OfflinePicturesTest extends SharedBackend {
  /** Leaves out the lower right corner, where model, size and quality are written. */
  private static final int CORNER = 64;

  @Test
  void anEditKeepsTheInputOutsideTheMaskAndRepaintsInside() {
    BufferedImage input = pattern(128, 128);
    BufferedImage mask = new BufferedImage(128, 128, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        mask.setRGB(x, y, x < 64 ? 0x00000000 : 0xFF000000); // left half transparent: edit there
      }
    }
    BufferedImage out = edit(input, mask, "a red balloon");

    assertThat(out.getWidth()).isEqualTo(1024);
    long outsideDiff = 0, outside = 0, insideDiff = 0, inside = 0;
    for (int y = 0; y < 1024 - CORNER; y++) {
      for (int x = 0; x < 1024; x++) {
        int d = diff(out.getRGB(x, y), input.getRGB(x / 8, y / 8));
        if (x >= 520) {
          outsideDiff += d;
          outside++;
        } else if (x < 504) {
          insideDiff += d;
          inside++;
        }
      }
    }
    assertThat((double) outsideDiff / outside).as("mean difference outside the mask").isLessThan(1);
    assertThat((double) insideDiff / inside).as("mean difference inside the mask").isGreaterThan(30);
  }

  @Test
  void anEditWithoutAMaskChangesPartOfTheInputAndKeepsTheRest() {
    BufferedImage input = pattern(128, 128);
    BufferedImage out = edit(input, null, "add a hat");

    int close = 0, far = 0, all = 0;
    for (int y = 0; y < 1024 - CORNER; y += 2) {
      for (int x = 0; x < 1024; x += 2) {
        int d = diff(out.getRGB(x, y), input.getRGB(x / 8, y / 8));
        close += d <= 12 ? 1 : 0; // the grain is a few levels per channel
        far += d > 60 ? 1 : 0;
        all++;
      }
    }
    assertThat(close).as("pixels left as they were").isGreaterThan(all / 5);
    assertThat(far).as("pixels visibly changed").isGreaterThan(all / 20);
  }

  @Test
  void aVariationDiffersFromItsInputButFollowsItsLightAndDark() {
    BufferedImage input = pattern(256, 256);
    Http.Answer a = new Http.Form().file("image", "otter.png", "image/png", Http.png(input))
        .field("size", "256x256").field("response_format", "b64_json")
        .post(backend.baseUrl() + "/images/variations");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    BufferedImage out = Http.decode(a.json().get("data").get(0).get("b64_json").asText());

    long totalDiff = 0;
    int count = 0;
    double[] lumIn = new double[192 * 256], lumOut = new double[192 * 256];
    for (int y = 0; y < 192; y++) { // above the corner text
      for (int x = 0; x < 256; x++) {
        totalDiff += diff(out.getRGB(x, y), input.getRGB(x, y));
        lumIn[count] = luminance(input.getRGB(x, y));
        lumOut[count] = luminance(out.getRGB(x, y));
        count++;
      }
    }
    assertThat((double) totalDiff / count).as("mean difference from the input").isGreaterThan(40);
    assertThat(correlation(lumIn, lumOut)).as("correlation of light and dark").isGreaterThan(0.8);
  }

  @Test
  void twoRequestsDifferingOnlyInQualityDifferOnlyInTheirCornerText() {
    BufferedImage low = generate("low");
    BufferedImage high = generate("high");

    int differentOutside = 0, differentCorner = 0, whiteCorner = 0;
    for (int y = 0; y < 1024; y++) {
      for (int x = 0; x < 1024; x++) {
        boolean corner = x >= 1024 - 400 && y >= 1024 - 24;
        boolean differs = low.getRGB(x, y) != high.getRGB(x, y);
        if (corner) {
          differentCorner += differs ? 1 : 0;
          whiteCorner += (high.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF ? 1 : 0;
        } else {
          differentOutside += differs ? 1 : 0;
        }
      }
    }
    assertThat(differentOutside).as("pixels that differ away from the corner").isZero();
    assertThat(differentCorner).as("pixels of the corner text that differ").isGreaterThan(50);
    assertThat(whiteCorner).as("white letter pixels in the corner").isGreaterThan(200);
  }

  private static BufferedImage generate(String quality) {
    Http.Answer a = Http.post(url, "{\"model\":\"gpt-image-1\",\"prompt\":\"a fox in the snow\",\"size\":\"1024x1024\","
        + "\"quality\":\"" + quality + "\"}");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return Http.decode(a.json().get("data").get(0).get("b64_json").asText());
  }

  private static BufferedImage edit(BufferedImage input, BufferedImage mask, String prompt) {
    Http.Form form = new Http.Form().file("image", "input.png", "image/png", Http.png(input))
        .field("prompt", prompt).field("model", "gpt-image-1").field("size", "1024x1024").field("quality", "low");
    if (mask != null) {
      form.file("mask", "mask.png", "image/png", Http.png(mask));
    }
    Http.Answer a = form.post(backend.baseUrl() + "/images/edits");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return Http.decode(a.json().get("data").get(0).get("b64_json").asText());
  }

  /** Smooth colour ramps with dark and light bands, so both hue and brightness vary. */
  private static BufferedImage pattern(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = x * 255 / (w - 1), g = y * 255 / (h - 1), b = ((x / 16 + y / 16) % 2) * 200 + 20;
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return img;
  }

  /** The mean of the three channels' absolute differences. */
  private static int diff(int a, int b) {
    return (Math.abs((a >> 16 & 0xff) - (b >> 16 & 0xff)) + Math.abs((a >> 8 & 0xff) - (b >> 8 & 0xff))
        + Math.abs((a & 0xff) - (b & 0xff))) / 3;
  }

  /** The mean of the channels: what a turn of hues about the grey axis keeps. */
  private static double luminance(int p) {
    return ((p >> 16 & 0xff) + (p >> 8 & 0xff) + (p & 0xff)) / 3.0;
  }

  private static double correlation(double[] a, double[] b) {
    double ma = 0, mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double cov = 0, va = 0, vb = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) * (a[i] - ma);
      vb += (b[i] - mb) * (b[i] - mb);
    }
    return cov / Math.sqrt(va * vb);
  }
}
