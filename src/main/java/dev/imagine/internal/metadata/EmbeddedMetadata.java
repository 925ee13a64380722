package dev.imagine.internal.metadata;

import dev.imagine.internal.ImageFormats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Text carried inside an image file under the keyword {@code imagine}: a PNG {@code iTXt} chunk,
 * JPEG comment ({@code COM}) segments, or a WebP {@code XMP} chunk. Writing never changes a pixel;
 * an image in another format, or one too damaged to parse, is returned as it was.
 *
 * <pre>{@code
 * byte[] tagged = EmbeddedMetadata.write(png, "{\"request\":{...}}");
 * EmbeddedMetadata.read(tagged); // Optional[{"request":{...}}]
 * }</pre>
 */
public final class EmbeddedMetadata {
  public static final String KEYWORD = "imagine";
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  /** A JPEG segment holds at most 65,533 bytes; longer text goes into several, the first marked "imagine:". */
  private static final int JPEG_SEGMENT_TEXT = 65_000;
  private static final String JPEG_FIRST = KEYWORD + ":";
  private static final String JPEG_MORE = KEYWORD + "+";
  private static final String XMP_NS = "https://imagine.dev/ns/1.0/";
  private static final Pattern XMP_VALUE = Pattern.compile("imagine:record=\"([^\"]*)\"");

  private EmbeddedMetadata() {}

  /** {@code image} with {@code text} inside; unchanged when its format is not PNG, JPEG or WebP. */
  public static byte[] write(byte[] image, String text) {
    try {
      return switch (ImageFormats.mimeType(image)) {
        case "image/png" -> writePng(image, text);
        case "image/jpeg" -> writeJpeg(image, text);
        case "image/webp" -> writeWebp(image, text);
        default -> image;
      };
    } catch (RuntimeException e) {
      return image; // a file we cannot parse keeps its bytes: the image matters more than its label
    }
  }

  /** The text written by {@link #write}, if {@code image} carries it. */
  public static Optional<String> read(byte[] image) {
    try {
      return switch (ImageFormats.mimeType(image)) {
        case "image/png" -> readPng(image);
        case "image/jpeg" -> readJpeg(image);
        case "image/webp" -> readWebp(image);
        default -> Optional.empty();
      };
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  // PNG: length, type, data, CRC of type+data; the iTXt chunk goes right after IHDR.
  private static byte[] writePng(byte[] png, String text) {
    int afterHeader = PNG_SIGNATURE.length + 8 + int32(png, PNG_SIGNATURE.length) + 4;
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(KEYWORD.getBytes(StandardCharsets.ISO_8859_1));
    data.write(0); // end of keyword
    data.write(0); // not compressed
    data.write(0); // compression method
    data.write(0); // no language tag
    data.write(0); // no translated keyword
    data.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    byte[] chunk = pngChunk("iTXt", data.toByteArray());
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + chunk.length);
    out.write(png, 0, afterHeader);
    out.writeBytes(chunk);
    out.write(png, afterHeader, png.length - afterHeader);
    return out.toByteArray();
  }

  private static byte[] pngChunk(String type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 12);
    writeInt32(out, data.length);
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    writeInt32(out, (int) crc.getValue());
    return out.toByteArray();
  }

  private static Optional<String> readPng(byte[] png) {
    int at = PNG_SIGNATURE.length;
    while (at + 12 <= png.length) {
      int length = int32(png, at);
      String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
      int data = at + 8;
      if (length < 0 || data + length > png.length || type.equals("IEND")) {
        break;
      }
      if (type.equals("iTXt") && startsWithKeyword(png, data, length)) {
        int p = data + KEYWORD.length() + 1;
        boolean compressed = png[p] != 0;
        p += 2;
        p = indexOf(png, (byte) 0, p, data + length) + 1; // language tag
        p = indexOf(png, (byte) 0, p, data + length) + 1; // translated keyword
        if (!compressed && p > 0) {
          return Optional.of(new String(png, p, data + length - p, StandardCharsets.UTF_8));
        }
      }
      at = data + length + 4;
    }
    return Optional.empty();
  }

  private static boolean startsWithKeyword(byte[] b, int at, int length) {
    byte[] k = KEYWORD.getBytes(StandardCharsets.ISO_8859_1);
    if (length < k.length + 5) {
      return false;
    }
    for (int i = 0; i < k.length; i++) {
      if (b[at + i] != k[i]) {
        return false;
      }
    }
    return b[at + k.length] == 0;
  }

  // JPEG: COM segments (FF FE, 2-byte length including itself) right after SOI.
  private static byte[] writeJpeg(byte[] jpeg, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + utf8.length + 64);
    out.write(jpeg, 0, 2);
    for (int from = 0, part = 0; from < utf8.length || part == 0; from += JPEG_SEGMENT_TEXT, part++) {
      byte[] prefix = (part == 0 ? JPEG_FIRST : JPEG_MORE).getBytes(StandardCharsets.US_ASCII);
      int n = Math.min(JPEG_SEGMENT_TEXT, utf8.length - from);
      out.write(0xFF);
      out.write(0xFE);
      int length = 2 + prefix.length + n;
      out.write(length >> 8);
      out.write(length & 0xFF);
      out.writeBytes(prefix);
      out.write(utf8, from, n);
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static Optional<String> readJpeg(byte[] jpeg) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    boolean found = false;
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      if (marker == 0xDA || marker == 0xD9) {
        break; // image data starts: no more metadata segments
      }
      int length = (jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF);
      if (marker == 0xFE && at + 2 + length <= jpeg.length) {
        String head = new String(jpeg, at + 4, Math.min(JPEG_FIRST.length(), length - 2), StandardCharsets.US_ASCII);
        int body = at + 4 + JPEG_FIRST.length();
        int n = length - 2 - JPEG_FIRST.length();
        if (head.equals(JPEG_FIRST)) {
          text.reset();
          text.write(jpeg, body, n);
          found = true;
        } else if (head.equals(JPEG_MORE) && found) {
          text.write(jpeg, body, n);
        }
      }
      at += 2 + length;
    }
    return found ? Optional.of(text.toString(StandardCharsets.UTF_8)) : Optional.empty();
  }

  // WebP: RIFF chunks; metadata needs the extended header (VP8X) with its XMP flag set.
  private static byte[] writeWebp(byte[] webp, String text) {
    String first = new String(webp, 12, 4, StandardCharsets.ISO_8859_1);
    byte[] xmp = xmpPacket(text).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(webp.length + xmp.length + 64);
    out.writeBytes(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'});
    if (first.equals("VP8X")) {
      byte[] copy = webp.clone();
      copy[20] |= 0x04; // XMP present
      out.write(copy, 12, copy.length - 12);
    } else {
      int[] size = ImageFormats.dimensions(webp);
      boolean alpha = first.equals("VP8L") && (webp[24] & 0x10) != 0;
      byte[] vp8x = new byte[10];
      vp8x[0] = (byte) (0x04 | (alpha ? 0x10 : 0));
      putInt24(vp8x, 4, size[0] - 1);
      putInt24(vp8x, 7, size[1] - 1);
      out.writeBytes(riffChunk("VP8X", vp8x));
      out.write(webp, 12, webp.length - 12);
    }
    out.writeBytes(riffChunk("XMP ", xmp));
    byte[] result = out.toByteArray();
    int riffSize = result.length - 8;
    result[4] = (byte) riffSize;
    result[5] = (byte) (riffSize >> 8);
    result[6] = (byte) (riffSize >> 16);
    result[7] = (byte) (riffSize >> 24);
    return result;
  }

  private static byte[] riffChunk(String type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 9);
    out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
    out.write(data.length);
    out.write(data.length >> 8);
    out.write(data.length >> 16);
    out.write(data.length >> 24);
    out.writeBytes(data);
    if (data.length % 2 == 1) {
      out.write(0); // chunks are padded to an even size
    }
    return out.toByteArray();
  }

  private static Optional<String> readWebp(byte[] webp) {
    int at = 12;
    while (at + 8 <= webp.length) {
      String type = new String(webp, at, 4, StandardCharsets.ISO_8859_1);
      int length = (webp[at + 4] & 0xFF) | (webp[at + 5] & 0xFF) << 8 | (webp[at + 6] & 0xFF) << 16 | (webp[at + 7] & 0xFF) << 24;
      if (length < 0 || at + 8 + length > webp.length) {
        break;
      }
      if (type.equals("XMP ")) {
        Matcher m = XMP_VALUE.matcher(new String(webp, at + 8, length, StandardCharsets.UTF_8));
        if (m.find()) {
          return Optional.of(unescapeXml(m.group(1)));
        }
      }
      at += 8 + length + (length % 2);
    }
    return Optional.empty();
  }

  private static String xmpPacket(String text) {
    return "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        + "<rdf:Description rdf:about=\"\" xmlns:imagine=\"" + XMP_NS + "\" imagine:record=\"" + escapeXml(text)
        + "\"/></rdf:RDF></x:xmpmeta>";
  }

  private static String escapeXml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String unescapeXml(String s) {
    return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static int indexOf(byte[] b, byte value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -2;
  }

  private static int int32(byte[] b, int i) {
    return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
  }

  private static void writeInt32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void putInt24(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >> 8);
    b[at + 2] = (byte) (v >> 16);
  }
}
