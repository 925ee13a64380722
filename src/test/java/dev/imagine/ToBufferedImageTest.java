package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.internal.images.ImageGrid;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Results as pictures for notebook kernels and Swing, on real images from the local backend. */
class ToBufferedImageTest extends OnLocalBackend {
  static int[] pixels(BufferedImage image, Rectangle r) {
    return image.getRGB(r.x, r.y, r.width, r.height, null, 0, r.width);
  }

  static BufferedImage decode(GeneratedImage image) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(image.bytes()));
  }

  @Test
  void oneImageIsItsOwnPixels() throws Exception {
    ImageResult r = client.images().prompt("a red fox").model(Model.DALL_E_2).size(Size.SQUARE_256).responseFormat(ResponseFormat.B64_JSON).generate();
    BufferedImage picture = r.toBufferedImage();
    BufferedImage expected = decode(r.image());
    assertThat(picture.getWidth()).isEqualTo(256);
    assertThat(pixels(picture, new Rectangle(0, 0, 256, 256))).containsExactly(pixels(expected, new Rectangle(0, 0, 256, 256)));
    assertThat(r.image().toBufferedImage()).isNotSameAs(r.image().toBufferedImage());
  }

  @Test
  void severalImagesAreOneNumberedGridHoldingEachImage() throws Exception {
    ImageResult r = client.images().prompt("three lighthouses").model(Model.DALL_E_2).size(Size.SQUARE_256).responseFormat(ResponseFormat.B64_JSON).n(3).generate();
    BufferedImage grid = r.toBufferedImage();
    List<BufferedImage> decoded = r.images().stream().map(GeneratedImage::toBufferedImage).toList();
    ImageGrid.Layout layout = ImageGrid.of(decoded).layout();
    assertThat(grid.getWidth()).isEqualTo(layout.width()).isGreaterThan(3 * 256);
    for (int i = 0; i < 3; i++) {
      Rectangle tile = layout.tiles().get(i);
      assertThat(pixels(grid, tile)).as("image %d", i).containsExactly(pixels(decode(r.images().get(i)), new Rectangle(0, 0, 256, 256)));
    }
  }

  @Test
  void anImageHeldInPiecesDecodesWhole() throws Exception {
    GeneratedImage whole = client.images().prompt("a fox in pieces").model(Model.DALL_E_2).size(Size.SQUARE_256)
        .responseFormat(ResponseFormat.B64_JSON).generate().image();
    byte[] bytes = whole.bytes();
    int third = bytes.length / 3;
    GeneratedImage pieces = new GeneratedImage(List.of(java.util.Arrays.copyOfRange(bytes, 0, third),
        java.util.Arrays.copyOfRange(bytes, third, 2 * third), java.util.Arrays.copyOfRange(bytes, 2 * third, bytes.length)),
        0, "a fox in pieces", null, null);
    Rectangle all = new Rectangle(0, 0, 256, 256);
    assertThat(pixels(pieces.toBufferedImage(), all)).containsExactly(pixels(decode(whole), all));
  }

  @Test
  void jpegDecodesToo() {
    ImageResult r = client.images().prompt("a jpeg fox").size(Size.SQUARE_1024).outputFormat(OutputFormat.JPEG).generate();
    assertThat(r.image().mimeType()).isEqualTo("image/jpeg");
    BufferedImage picture = r.toBufferedImage();
    assertThat(picture.getWidth()).isEqualTo(1024);
    assertThat(picture.getHeight()).isEqualTo(1024);
  }

  @Test
  void aFormatThisJvmCannotReadFailsSayingWhatToDo() {
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    GeneratedImage image = new GeneratedImage(webp, 0, "a fox", null, null);
    assertThat(image.mimeType()).isEqualTo("image/webp");
    assertThatThrownBy(image::toBufferedImage).isInstanceOf(ImagineException.class)
        .hasMessageContaining("image/webp").hasMessageContaining("outputFormat(\"png\")").hasMessageContaining("save()");
  }

  @Test
  void aResultWithoutImagesSaysSo() {
    ImageResult empty = new ImageResult(ImageRequest.builder().prompt("nothing").build(), Instant.now(), List.of(),
        null, null, null, null, null, "req_1", Duration.ZERO);
    assertThatThrownBy(empty::toBufferedImage).isInstanceOf(ImagineException.class)
        .hasMessageContaining("no image").hasMessageContaining("req_1");
  }
}
