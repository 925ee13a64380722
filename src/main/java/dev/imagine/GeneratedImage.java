package dev.imagine;

import dev.imagine.internal.ImageFormats;
import dev.imagine.internal.files.AtomicFiles;
import dev.imagine.internal.images.ImageBacking;
import dev.imagine.internal.images.ImageBytes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.CopyOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * One image the server made, held as its encoded bytes (PNG, JPEG or WebP).
 *
 * <pre>{@code
 * GeneratedImage image = images().prompt("a red fox").generate().image();
 * image.save(Path.of("fox.png"));            // refuses to overwrite an existing file
 * Path saved = image.saveTo(Path.of("out")); // out/a-red-fox.png, or a-red-fox-2.png if taken
 * }</pre>
 *
 * Saving writes a temporary file and moves it into place, so a failed save (a full disk) never
 * leaves a half-written image; the image stays in memory to be saved elsewhere.
 *
 * <p>A decoded image is held in the pieces it was decoded into (tens of KiB each), not in one
 * array: at hundreds of responses in flight, one large array per image would cost a copy on joining
 * and G1 "humongous" regions. {@link #bytes()} joins them into the copy it returns. An image a
 * batch made was streamed to its file as it decoded and is read from there when asked.
 */
public final class GeneratedImage {
  static {
    ImageBacking.register(new ImageBacking.Access() {
      @Override
      public GeneratedImage create(ImageBytes bytes, int index, String prompt, String revisedPrompt, String url) {
        return new GeneratedImage(bytes, index, prompt, revisedPrompt, url);
      }

      @Override
      public ImageBytes bytesOf(GeneratedImage image) {
        return image.bytes;
      }
    });
  }

  private final ImageBytes bytes;
  private final int size;
  private final int index;
  private final String prompt;
  private final String revisedPrompt;
  private final String url;
  private final String mimeType;
  private final int width;
  private final int height;

  /**
   * @param bytes the encoded image, not copied: the caller hands it over
   * @param index the position in the response, from 0
   * @param prompt the prompt sent, used to name files
   * @param revisedPrompt the prompt the model used (dall-e-3), or {@code null}
   * @param url the URL the image was downloaded from, or {@code null}
   */
  public GeneratedImage(byte[] bytes, int index, String prompt, String revisedPrompt, String url) {
    this(List.of(Objects.requireNonNull(bytes, "bytes")), index, prompt, revisedPrompt, url);
  }

  /**
   * An image held in pieces, as the client decodes it:
   * {@code new GeneratedImage(List.of(head, tail), 0, "a red fox", null, null)}.
   *
   * @param pieces the encoded image, in order; neither the list nor the arrays are copied
   * @param index the position in the response, from 0
   * @param prompt the prompt sent, used to name files
   * @param revisedPrompt the prompt the model used (dall-e-3), or {@code null}
   * @param url the URL the image was downloaded from, or {@code null}
   */
  public GeneratedImage(List<byte[]> pieces, int index, String prompt, String revisedPrompt, String url) {
    this(ImageBytes.inMemory(pieces), index, prompt, revisedPrompt, url);
  }

  private GeneratedImage(ImageBytes bytes, int index, String prompt, String revisedPrompt, String url) {
    this.bytes = bytes;
    this.size = bytes.size();
    this.index = index;
    this.prompt = prompt;
    this.revisedPrompt = revisedPrompt;
    this.url = url;
    byte[] head = bytes.head();
    this.mimeType = ImageFormats.mimeType(head);
    int[] dimensions = ImageFormats.dimensions(head);
    if (dimensions[0] < 0 && head.length < size) {
      dimensions = ImageFormats.dimensions(bytesNoCopy()); // a JPEG whose size comes after a long header
    }
    this.width = dimensions[0];
    this.height = dimensions[1];
  }

  /**
   * The encoded image (a copy; see {@link #size()} for its length).
   *
   * @throws UncheckedIOException when the image was streamed to a file (a batch's) that cannot be read now
   */
  public byte[] bytes() {
    try {
      return bytes.toArray();
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private UncheckedIOException unreadable(IOException e) {
    return new UncheckedIOException("cannot read this image (" + ImageFormats.humanSize(size) + ") from the file it was"
        + " saved to: " + AtomicFiles.reason(e), e);
  }

  /** The number of encoded bytes. */
  public int size() {
    return size;
  }

  /** {@code image/png}, {@code image/jpeg} or {@code image/webp}, read from the bytes. */
  public String mimeType() {
    return mimeType;
  }

  /** The file extension for the format: {@code png}, {@code jpg}, {@code webp}. */
  public String extension() {
    return ImageFormats.extension(mimeType);
  }

  /** Width in pixels, or -1 when the format is not recognised. */
  public int width() {
    return width;
  }

  /** Height in pixels, or -1 when the format is not recognised. */
  public int height() {
    return height;
  }

  /** Position in the response, from 0. */
  public int index() {
    return index;
  }

  /** The prompt of the request that made the image. */
  public String prompt() {
    return prompt;
  }

  /** The prompt the model actually used (dall-e-3 rewrites prompts), or {@code null}. */
  public String revisedPrompt() {
    return revisedPrompt;
  }

  /** The URL the server gave (expires an hour after creation), or {@code null} for base64 answers. */
  public String url() {
    return url;
  }

  /** This image as input to an edit: {@code images().edit(image.asInput()).prompt("...")}. */
  public ImageInput asInput() {
    return ImageInput.of("image." + extension(), bytesNoCopy());
  }

  /**
   * Writes the image to {@code file} atomically. Refuses to replace an existing file unless
   * {@link java.nio.file.StandardCopyOption#REPLACE_EXISTING} is given.
   *
   * @return the file written
   * @throws java.io.UncheckedIOException saying why, e.g. the file exists or the disk is full
   */
  public Path save(Path file, CopyOption... options) {
    return AtomicFiles.write(file, bytes::writeTo, options);
  }

  /**
   * Saves into {@code directory} (created if missing) under a name made from the prompt, e.g.
   * {@code a-red-fox-in-snow.png}, adding {@code -2}, {@code -3}... rather than overwriting.
   *
   * @return the file written
   */
  public Path saveTo(Path directory) {
    return AtomicFiles.writeNew(directory, AtomicFiles.slug(prompt, 48), extension(), bytes::writeTo);
  }

  /**
   * The decoded pixels, a new image on each call. Java notebook kernels (IJava, the Kotlin
   * kernel) and Swing show a {@code BufferedImage} as a picture:
   *
   * <pre>{@code
   * images().prompt("a red fox").generate().image().toBufferedImage()   // last line of a cell
   * new JLabel(new ImageIcon(image.toBufferedImage()));                 // in a Swing window
   * }</pre>
   *
   * PNG and JPEG decode with the JDK alone; WebP needs an ImageIO WebP reader on the class path.
   *
   * @throws ImagineException saying so when this JVM cannot decode the image's format
   */
  public BufferedImage toBufferedImage() {
    BufferedImage decoded;
    try (InputStream in = bytes.open()) {
      decoded = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new ImagineException("cannot decode this " + mimeType + " image (" + ImageFormats.humanSize(size)
          + "): " + e.getMessage() + "; save() it and open the file with another tool", null, e);
    }
    if (decoded == null) {
      throw new ImagineException("this JVM has no reader for " + mimeType + " images: add an ImageIO plug-in for the"
          + " format to the class path, or ask for outputFormat(\"png\"); the bytes are still here to save()");
    }
    return decoded;
  }

  /** Internal: the bytes in one array, without a copy when the image is in one piece. */
  byte[] bytesNoCopy() {
    byte[] shared = bytes.shared();
    return shared != null ? shared : bytes();
  }

  @Override
  public String toString() {
    return "GeneratedImage[" + mimeType + ", " + width + "x" + height + ", " + ImageFormats.humanSize(size)
        + (url == null ? "" : ", from url") + "]";
  }
}
