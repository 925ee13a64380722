package dev.imagine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import dev.imagine.internal.ImageFormats;

/**
 * An image sent to the edits endpoint: a file, bytes, or an image made earlier.
 *
 * <pre>{@code
 * images().edit(ImageInput.of(Path.of("fox.png"))).prompt("give the fox a red scarf").generate();
 * }</pre>
 */
public final class ImageInput {
  private final String filename;
  private final byte[] bytes;

  private ImageInput(String filename, byte[] bytes) {
    this.filename = filename;
    this.bytes = bytes;
  }

  /** Reads the file now, so a missing file fails here and not halfway through a request. */
  public static ImageInput of(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return new ImageInput(file.getFileName().toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + file + ": " + e.getMessage(), e);
    }
  }

  /** Wraps encoded image bytes (PNG, JPEG or WebP) under a file name. */
  public static ImageInput of(String filename, byte[] bytes) {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(bytes, "bytes");
    return new ImageInput(filename, bytes.clone());
  }

  /** The file name sent with the image part. */
  public String filename() {
    return filename;
  }

  /** The media type sniffed from the bytes, e.g. {@code image/png}. */
  public String mimeType() {
    return ImageFormats.mimeType(bytes);
  }

  /** The encoded image (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    return "ImageInput[" + filename + ", " + ImageFormats.humanSize(bytes.length) + "]";
  }
}
