package dev.imagine.internal.images;

import dev.imagine.GeneratedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Images as notebook outputs ({@code image/png} or {@code image/jpeg}, base64), shared by the
 * Jupyter kernel extension and the notebook export so both show a value the same way: one image
 * in its own format when that is PNG or JPEG (no re-encoding, the bytes are the product), any
 * other format, or several images, as one PNG.
 */
public final class NotebookImages {
  private NotebookImages() {}

  /** One output: its media type and base64 data. */
  public record Output(String mimeType, String base64) {
    /** The size of the base64, never its text. */
    @Override
    public String toString() {
      return "Output[" + mimeType + ", " + base64.length() + " base64 chars]";
    }
  }

  /** One image as it shows best: its own bytes for PNG and JPEG, else re-encoded as PNG. */
  public static Output of(GeneratedImage image) {
    String type = image.mimeType();
    if (type.equals("image/png") || type.equals("image/jpeg")) {
      return new Output(type, Base64.getEncoder().encodeToString(image.bytes()));
    }
    return new Output("image/png", Base64.getEncoder().encodeToString(png(image.toBufferedImage())));
  }

  /** The images as one output: the image itself when there is one, else a numbered grid PNG. */
  public static Output of(List<GeneratedImage> images) {
    return images.size() == 1 ? of(images.get(0)) : asPng(images);
  }

  /** The images as one PNG whatever their format: the image itself when there is one, else a numbered grid. */
  public static Output asPng(List<GeneratedImage> images) {
    if (images.size() == 1 && images.get(0).mimeType().equals("image/png")) {
      return of(images.get(0));
    }
    return new Output("image/png", Base64.getEncoder().encodeToString(png(ImageGrid.picture(images))));
  }

  /** PNG bytes of an image, with ImageIO's writer (best compression of the JDK's). */
  public static byte[] png(RenderedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() + 1024);
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
