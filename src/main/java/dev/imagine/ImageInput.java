package dev.imagine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import dev.imagine.internal.ImageFormats;

/**
 * An image sent to the edits endpoint: a file, bytes, or an image made earlier (sent as
 * {@code multipart/form-data}); or an image the server reads itself, by URL, data URL or file id
 * (sent as {@code application/json} with {@code images: [{image_url | file_id}]}, for GPT image
 * models).
 *
 * <pre>{@code
 * images().edit(ImageInput.of(Path.of("fox.png"))).prompt("give the fox a red scarf").generate();
 * images().edit(ImageInput.url("https://example.com/fox.png")).prompt("give the fox a red scarf").generate();
 * images().edit(ImageInput.fileId("file-abc123")).prompt("give the fox a red scarf").generate();
 * }</pre>
 */
public final class ImageInput {
  /** The longest {@code image_url} the API accepts. */
  static final int MAX_URL_CHARS = 20_971_520;

  private final String filename;
  private final byte[] bytes; // null when the server reads the image by url or file id
  private final String url;
  private final String fileId;

  private ImageInput(String filename, byte[] bytes, String url, String fileId) {
    this.filename = filename;
    this.bytes = bytes;
    this.url = url;
    this.fileId = fileId;
  }

  /** Reads the file now, so a missing file fails here and not halfway through a request. */
  public static ImageInput of(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return new ImageInput(file.getFileName().toString(), Files.readAllBytes(file), null, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + file + ": " + e.getMessage(), e);
    }
  }

  /** Wraps encoded image bytes (PNG, JPEG or WebP) under a file name. */
  public static ImageInput of(String filename, byte[] bytes) {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(bytes, "bytes");
    return new ImageInput(filename, bytes.clone(), null, null);
  }

  /**
   * An image the server fetches itself: an {@code https://} (or {@code http://}) URL, or a data URL
   * such as {@code data:image/png;base64,iVBOR...} (at most 20,971,520 characters). The edit is
   * then sent as JSON, which GPT image models accept.
   */
  public static ImageInput url(String url) {
    Objects.requireNonNull(url, "url");
    String u = url.strip();
    String lower = u.toLowerCase(Locale.ROOT);
    if (lower.startsWith("data:")) {
      int comma = u.indexOf(',');
      if (comma < 0 || !lower.substring(0, comma).endsWith(";base64") || !lower.startsWith("data:image/")) {
        throw new IllegalArgumentException("a data URL for an image looks like data:image/png;base64,iVBOR...; "
            + "this one does not (" + describeDataUrl(u) + ")");
      }
    } else if (!(lower.startsWith("https://") || lower.startsWith("http://")) || hostOf(u) == null) {
      throw new IllegalArgumentException("an image URL must be https://..., http://... or a data: URL; got '"
          + shortened(u) + "'. For a local file use ImageInput.of(Path)");
    }
    if (u.length() > MAX_URL_CHARS) {
      throw new IllegalArgumentException("the image URL is " + u.length() + " characters; the API takes at most "
          + MAX_URL_CHARS + ". Send a smaller image, or the file itself with ImageInput.of(Path)");
    }
    if (u.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("the image URL contains a line break or control character");
    }
    return new ImageInput(null, null, u, null);
  }

  /** A file uploaded to the server earlier ({@code POST /files}), by its id, e.g. {@code file-abc123}. */
  public static ImageInput fileId(String fileId) {
    Objects.requireNonNull(fileId, "fileId");
    String id = fileId.strip();
    if (id.isEmpty() || id.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("a file id is one word such as file-abc123; got '" + shortened(id) + "'");
    }
    return new ImageInput(null, null, null, id);
  }

  /** The {@code https://} or data URL the server reads the image from, or {@code null}. */
  public String url() {
    return url;
  }

  /** The id of an uploaded file the server reads the image from, or {@code null}. */
  public String fileId() {
    return fileId;
  }

  /** The file name sent with the image part (for a URL or file id: a name derived from it). */
  public String filename() {
    if (filename != null) {
      return filename;
    }
    if (fileId != null) {
      return fileId;
    }
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      return "image." + url.substring("data:image/".length(), url.indexOf(';')).toLowerCase(Locale.ROOT);
    }
    String path = URI.create(url.replace(" ", "%20")).getPath();
    String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    return last.isEmpty() ? "image" : last;
  }

  /** The media type sniffed from the bytes, e.g. {@code image/png}; a data URL's own; {@code null} when the server holds the image. */
  public String mimeType() {
    if (bytes != null) {
      return ImageFormats.mimeType(bytes);
    }
    if (url != null && url.regionMatches(true, 0, "data:", 0, 5)) {
      return url.substring("data:".length(), url.indexOf(';')).toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /**
   * The encoded image (a copy); decoded for a data URL. Throws {@link IllegalStateException} for a
   * URL or file id, whose bytes only the server has.
   */
  public byte[] bytes() {
    if (bytes != null) {
      return bytes.clone();
    }
    if (url != null && url.regionMatches(true, 0, "data:", 0, 5)) {
      return Base64.getMimeDecoder().decode(url.substring(url.indexOf(',') + 1).getBytes(StandardCharsets.US_ASCII));
    }
    throw new IllegalStateException("this image is " + (fileId != null ? "the server's file " + fileId
        : "at " + shortened(url)) + "; its bytes are not here");
  }

  /** Never the data URL's base64 nor a URL's query (which may hold a signature). */
  @Override
  public String toString() {
    if (fileId != null) {
      return "ImageInput[file " + fileId + "]";
    }
    if (url != null) {
      return "ImageInput[" + (url.regionMatches(true, 0, "data:", 0, 5) ? describeDataUrl(url) : shortened(url)) + "]";
    }
    return "ImageInput[" + filename + ", " + ImageFormats.humanSize(bytes.length) + "]";
  }

  private static String describeDataUrl(String u) {
    int comma = u.indexOf(',');
    String head = comma < 0 ? u.substring(0, Math.min(u.length(), 30)) : u.substring(0, comma);
    return head.replaceAll("[^\\w/;:.+-]", "") + " data URL, " + u.length() + " characters";
  }

  /** Scheme, host and path: no query, no fragment, no user info. */
  private static String shortened(String u) {
    try {
      URI uri = URI.create(u.replace(" ", "%20"));
      if (uri.getScheme() != null && uri.getHost() != null) {
        String s = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
            + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return s.length() > 120 ? s.substring(0, 119) + "…" : s;
      }
    } catch (IllegalArgumentException ignored) {
      // not a URL at all: show its start
    }
    return u.length() > 40 ? u.substring(0, 39) + "…" : u;
  }

  private static String hostOf(String u) {
    try {
      return URI.create(u.replace(" ", "%20")).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
