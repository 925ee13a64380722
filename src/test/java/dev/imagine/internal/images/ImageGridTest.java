package dev.imagine.internal.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {
  static BufferedImage flat(int width, int height, int argb, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    int[] px = new int[width * height];
    Arrays.fill(px, argb);
    image.setRGB(0, 0, width, height, px, 0, width);
    return image;
  }

  /** Every pixel different, so a shifted or scaled copy cannot pass for the original. */
  static BufferedImage pattern(int width, int height, int seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 7 + seed * 50) & 0xFF | ((y * 5 + seed) & 0xFF) << 8 | ((x + y) * 3 & 0xFF) << 16);
      }
    }
    return image;
  }

  static int[] pixels(BufferedImage image, Rectangle r) {
    return image.getRGB(r.x, r.y, r.width, r.height, null, 0, r.width);
  }

  @Test
  void atNaturalSizeEachTileHoldsItsImageExactly() {
    List<BufferedImage> images = List.of(pattern(40, 30, 1), pattern(40, 30, 2), pattern(40, 30, 3));
    ImageGrid grid = ImageGrid.of(images);
    ImageGrid.Layout layout = grid.layout();
    BufferedImage sheet = grid.compose();

    assertThat(layout.columns()).isEqualTo(3);
    assertThat(layout.rows()).isEqualTo(1);
    assertThat(layout.scale()).isEqualTo(1.0);
    assertThat(sheet.getWidth()).isEqualTo(layout.width());
    assertThat(sheet.getHeight()).isEqualTo(layout.height());
    for (int i = 0; i < images.size(); i++) {
      Rectangle tile = layout.tiles().get(i);
      assertThat(tile.getSize()).isEqualTo(new java.awt.Dimension(40, 30));
      assertThat(pixels(sheet, tile)).as("tile %d", i)
          .containsExactly(pixels(images.get(i), new Rectangle(0, 0, 40, 30)));
    }
    assertThat(layout.tiles().get(0).intersects(layout.tiles().get(1))).isFalse();
    assertThat(layout.tiles().get(1).x).isGreaterThan(layout.tiles().get(0).x + 40);
  }

  @Test
  void upToFourASideByDefaultThenRowsAndAGivenColumnCountWins() {
    List<BufferedImage> six = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      six.add(pattern(20, 20, i));
    }
    ImageGrid.Layout byDefault = ImageGrid.of(six).layout();
    assertThat(byDefault.columns()).isEqualTo(4);
    assertThat(byDefault.rows()).isEqualTo(2);
    assertThat(byDefault.tiles().get(4).x).isEqualTo(byDefault.tiles().get(0).x);
    assertThat(byDefault.tiles().get(4).y).isGreaterThan(byDefault.tiles().get(0).y + 20);

    ImageGrid.Layout threeWide = ImageGrid.of(six).columns(3).layout();
    assertThat(threeWide.rows()).isEqualTo(2);
    assertThat(threeWide.tiles().get(3).x).isEqualTo(threeWide.tiles().get(0).x);
    assertThat(ImageGrid.of(six).columns(10).layout().columns()).isEqualTo(6);
  }

  @Test
  void eachTileIsNumberedAboveTheImageInTheBitmapFont() {
    BufferedImage white = flat(60, 40, 0xFFFFFFFF, BufferedImage.TYPE_INT_RGB);
    ImageGrid grid = ImageGrid.of(List.of(white, white)).background(0x000000);
    Rectangle second = grid.layout().tiles().get(1);
    BufferedImage sheet = grid.compose();
    // The caption band above the tile holds a "2" in white on black, glyph for glyph.
    boolean[] two = BitmapFont.glyph('2');
    int top = second.y - (BitmapFont.HEIGHT + 4) + 2;
    for (int gy = 0; gy < BitmapFont.HEIGHT; gy++) {
      for (int gx = 0; gx < BitmapFont.WIDTH; gx++) {
        int rgb = sheet.getRGB(second.x + gx, top + gy) & 0xFFFFFF;
        assertThat(rgb).as("pixel %d,%d of the 2", gx, gy).isEqualTo(two[gy * BitmapFont.WIDTH + gx] ? 0xFFFFFF : 0);
      }
    }

    BufferedImage plain = ImageGrid.of(List.of(white, white)).numbered(false).compose();
    assertThat(plain.getHeight()).isLessThan(sheet.getHeight());
  }

  @Test
  void aMaxWidthShrinksTilesToFitButNeverEnlargesThem() {
    List<BufferedImage> images = List.of(pattern(400, 200, 1), pattern(400, 200, 2), pattern(400, 200, 3));
    ImageGrid.Layout fitted = ImageGrid.of(images).maxWidth(600).layout();
    assertThat(fitted.width()).isLessThanOrEqualTo(600).isGreaterThan(500);
    assertThat(fitted.scale()).isLessThan(0.5);
    Rectangle tile = fitted.tiles().get(0);
    assertThat((double) tile.width / tile.height).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.05));
    BufferedImage sheet = ImageGrid.of(images).maxWidth(600).compose();
    assertThat(sheet.getWidth()).isEqualTo(fitted.width());

    ImageGrid.Layout roomy = ImageGrid.of(images).maxWidth(5000).layout();
    assertThat(roomy.scale()).isEqualTo(1.0);
    assertThat(roomy.tiles().get(0).width).isEqualTo(400);

    assertThatThrownBy(() -> ImageGrid.of(images).maxWidth(10).layout())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot fit in 10 pixels");
  }

  @Test
  void shrunkTilesAreAveragedNotSampled() {
    // Alternating black and white columns average to grey when halved; sampling would give one colour.
    BufferedImage stripes = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 200; x += 2) {
      for (int y = 0; y < 100; y++) {
        stripes.setRGB(x, y, 0xFFFFFF);
      }
    }
    ImageGrid grid = ImageGrid.of(List.of(stripes, stripes)).numbered(false).maxWidth(220);
    Rectangle tile = grid.layout().tiles().get(0);
    int centre = grid.compose().getRGB(tile.x + tile.width / 2, tile.y + tile.height / 2) & 0xFF;
    assertThat(centre).isBetween(100, 155);
  }

  @Test
  void contactSheetLabelsTakeTheirOwnRoomAndMustMatchTheShape() {
    List<BufferedImage> cells = List.of(pattern(50, 50, 1), pattern(50, 50, 2), pattern(50, 50, 3),
        pattern(50, 50, 4), pattern(50, 50, 5), pattern(50, 50, 6));
    ImageGrid plain = ImageGrid.of(cells).columns(3);
    ImageGrid labelled = ImageGrid.of(cells).columnLabels(List.of("low", "medium", "high"))
        .rowLabels(List.of("dall-e-3", "gpt-image-1"));
    ImageGrid.Layout a = plain.layout();
    ImageGrid.Layout b = labelled.layout();
    assertThat(b.columns()).isEqualTo(3);
    assertThat(b.tiles().get(0).x).isGreaterThan(a.tiles().get(0).x);
    assertThat(b.tiles().get(0).y).isGreaterThan(a.tiles().get(0).y);

    BufferedImage sheet = labelled.background(0x000000).compose();
    Rectangle first = b.tiles().get(0);
    assertThat(inkIn(sheet, new Rectangle(0, first.y, first.x, first.height))).as("row label").isTrue();
    assertThat(inkIn(sheet, new Rectangle(first.x, 0, first.width, first.y - (BitmapFont.HEIGHT + 4))))
        .as("column label").isTrue();
    for (Rectangle tile : b.tiles()) {
      assertThat(pixels(sheet, tile)).containsExactly(pixels(cells.get(b.tiles().indexOf(tile)), new Rectangle(0, 0, 50, 50)));
    }

    assertThatThrownBy(() -> ImageGrid.of(cells).columnLabels(List.of("a", "b")).rowLabels(List.of("x", "y")).columns(3).layout())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 column labels for 3 columns");
    assertThatThrownBy(() -> ImageGrid.of(cells).columns(3).rowLabels(List.of("only one")).layout())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 row labels for 2 rows");
  }

  @Test
  void emptyCellsAndTransparentPixelsShowTheBackground() {
    BufferedImage clear = flat(30, 30, 0x00FF0000, BufferedImage.TYPE_INT_ARGB);
    List<BufferedImage> cells = new ArrayList<>();
    cells.add(clear);
    cells.add(null);
    ImageGrid grid = ImageGrid.of(cells).background(0x336699);
    ImageGrid.Layout layout = grid.layout();
    BufferedImage sheet = grid.compose();
    Rectangle t0 = layout.tiles().get(0);
    assertThat(sheet.getRGB(t0.x + 5, t0.y + 5) & 0xFFFFFF).isEqualTo(0x336699);
    Rectangle t1 = layout.tiles().get(1);
    assertThat(t1.getSize()).isEqualTo(t0.getSize());
    assertThat(sheet.getRGB(t1.x + 5, t1.y + 5) & 0xFFFFFF).isNotEqualTo(0x336699);
    assertThat(sheet.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);

    assertThatThrownBy(() -> ImageGrid.of(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one image");
  }

  @Test
  void imagesOfDifferentSizesAreCentredInTilesOfTheLargest() {
    ImageGrid.Layout layout = ImageGrid.of(List.of(pattern(100, 60, 1), pattern(50, 30, 2))).layout();
    Rectangle big = layout.tiles().get(0);
    Rectangle small = layout.tiles().get(1);
    assertThat(small.getSize()).isEqualTo(new java.awt.Dimension(50, 30));
    assertThat(small.y).isEqualTo(big.y + 15);
    assertThat(small.x - big.x).isGreaterThan(100 + 25 - 1);
  }

  private static boolean inkIn(BufferedImage image, Rectangle r) {
    for (int p : pixels(image, r)) {
      if ((p & 0xFFFFFF) == 0xFFFFFF) {
        return true;
      }
    }
    return false;
  }
}
