package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.internal.render.Fit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FittingTest {
  @ParameterizedTest(name = "{0}x{1} in {4}x{5} cells of {2}x{3}")
  @CsvSource({
      // image w, h, cell w, h, max cols, rows
      "1024, 1024, 10, 20, 80, 24",
      "1024, 1024, 9, 18, 200, 60",
      "1792, 1024, 10, 20, 80, 24",
      "1024, 1792, 10, 20, 80, 24",
      "1, 1000, 10, 20, 80, 24",
      "1000, 1, 10, 20, 80, 24",
      "333, 777, 7, 15, 13, 5",
      "5000, 3, 8, 16, 1, 1",
  })
  void pixelFitKeepsTheAspectNeverExceedsTheBoxAndNeverEnlarges(int w, int h, int cw, int ch, int cols, int rows) {
    Fit fit = Fit.pixels(w, h, cw, ch, cols, rows);

    assertThat(fit.columns()).isBetween(1, cols);
    assertThat(fit.rows()).isBetween(1, rows);
    assertThat(fit.width()).isBetween(1, Math.min(w, cols * cw));
    assertThat(fit.height()).isBetween(1, Math.min(h, rows * ch));
    assertThat(fit.columns()).isEqualTo((fit.width() + cw - 1) / cw);
    assertThat(fit.rows()).isEqualTo((fit.height() + ch - 1) / ch);
    // One side touches the box (or the image's own size), the other follows within rounding.
    assertThat(fit.width() == Math.min(w, cols * cw) || fit.height() == Math.min(h, rows * ch)).isTrue();
    if (fit.width() > 1 && fit.height() > 1) {
      assertThat((double) fit.width() / fit.height()).isCloseTo((double) w / h, org.assertj.core.data.Percentage.withPercentage(100.0 / Math.min(fit.width(), fit.height()) + 0.01));
    }
  }

  @Test
  void pixelFitExamples() {
    assertThat(Fit.pixels(1024, 1024, 10, 20, 80, 24)).isEqualTo(new Fit(480, 480, 48, 24));
    assertThat(Fit.pixels(1024, 1024, 10, 20, 200, 60)).isEqualTo(new Fit(1024, 1024, 103, 52)); // not enlarged
    assertThat(Fit.pixels(1536, 1024, 10, 20, 60, 40)).isEqualTo(new Fit(600, 400, 60, 20));
  }

  @ParameterizedTest(name = "{0}x{1} in {4}x{5} cells of {2}x{3}")
  @CsvSource({
      "1024, 1024, 10, 20, 80, 24",
      "1792, 1024, 10, 20, 80, 24",
      "1024, 1792, 10, 20, 80, 24",
      "1, 1000, 10, 20, 80, 24",
      "333, 777, 8, 17, 13, 5",
      "30, 30, 10, 20, 80, 24",
  })
  void halfBlockFitUsesOnePixelPerColumnAndTwoPerRow(int w, int h, int cw, int ch, int cols, int rows) {
    Fit fit = Fit.halfBlocks(w, h, cw, ch, cols, rows);

    assertThat(fit.columns()).isEqualTo(fit.width()).isBetween(1, Math.min(cols, w));
    assertThat(fit.height()).isBetween(1, Math.min(2 * rows, h));
    assertThat(fit.rows()).isEqualTo((fit.height() + 1) / 2);
    // On screen a half cell is cw x ch/2 pixels: the drawn shape follows the image's.
    double drawn = fit.width() * cw / (fit.height() * ch / 2.0);
    if (fit.width() > 2 && fit.height() > 2) {
      assertThat(drawn).isCloseTo((double) w / h, org.assertj.core.data.Percentage.withPercentage(100.0 / Math.min(fit.width(), fit.height()) * 1.5 + 0.01));
    }
  }

  @Test
  void halfBlockFitExamples() {
    assertThat(Fit.halfBlocks(1024, 1024, 10, 20, 80, 24)).isEqualTo(new Fit(48, 48, 48, 24));
    assertThat(Fit.halfBlocks(1024, 1024, 10, 20, 200, 60)).isEqualTo(new Fit(120, 120, 120, 60));
    assertThat(Fit.halfBlocks(30, 30, 10, 20, 80, 24)).isEqualTo(new Fit(30, 30, 30, 15)); // not enlarged
  }

  @Test
  void renderRejectsAnEmptyBox() {
    assertThatThrownBy(() -> TerminalGraphics.render(TestImages.flat(2, 2, 0), GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, 0, 10, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxColumns");
    assertThatThrownBy(() -> TerminalGraphics.render(TestImages.flat(2, 2, 0), GraphicsProtocol.SIXEL, TerminalGeometry.DEFAULT, 10, 0, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRows");
  }

  @Test
  void noneDrawsNothing() {
    assertThat(TerminalGraphics.render(TestImages.flat(2, 2, 0), GraphicsProtocol.NONE, TerminalGeometry.DEFAULT, 80, 24, true)).isEmpty();
    assertThat(TerminalGraphics.render(new byte[] {1, 2, 3}, GraphicsProtocol.NONE, TerminalGeometry.DEFAULT, 80, 24, true)).isEmpty();
  }

  @Test
  void undecodableBytesFailWithAClearMessage() {
    assertThatThrownBy(() -> TerminalGraphics.render("not an image".getBytes(), GraphicsProtocol.KITTY, TerminalGeometry.DEFAULT, 80, 24, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot decode image").hasMessageContaining("application/octet-stream").hasMessageContaining("12 B");
  }

  @Test
  void unknownGeometryValuesFallBackToTheDefaults() {
    assertThat(new TerminalGeometry(0, 0, 0, 0)).isEqualTo(TerminalGeometry.DEFAULT);
    assertThat(new TerminalGeometry(120, 40, -1, 0)).isEqualTo(new TerminalGeometry(120, 40, 10, 20));
  }
}
