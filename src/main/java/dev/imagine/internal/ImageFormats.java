package dev.imagine.internal;

import java.util.Locale;

/** Recognises image formats and reads their pixel size from the header bytes, without decoding. */
public final class ImageFormats {
  private ImageFormats() {}

  /** {@code image/png}, {@code image/jpeg}, {@code image/webp}, {@code image/gif}, or {@code application/octet-stream}. */
  public static String mimeType(byte[] b) {
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    return "application/octet-stream";
  }

  /** The usual file extension for a media type: {@code png}, {@code jpg}, {@code webp}, {@code gif} or {@code bin}. */
  public static String extension(String mimeType) {
    return switch (mimeType) {
      case "image/png" -> "png";
      case "image/jpeg" -> "jpg";
      case "image/webp" -> "webp";
      case "image/gif" -> "gif";
      default -> "bin";
    };
  }

  /** {@code {width, height}} read from the header, or {@code {-1, -1}} when the format is not known. */
  public static int[] dimensions(byte[] b) {
    switch (mimeType(b)) {
      case "image/png":
        if (b.length >= 24) {
          return new int[] {int32(b, 16), int32(b, 20)};
        }
        break;
      case "image/gif":
        if (b.length >= 10) {
          return new int[] {u8(b, 6) | u8(b, 7) << 8, u8(b, 8) | u8(b, 9) << 8};
        }
        break;
      case "image/jpeg":
        return jpegDimensions(b);
      case "image/webp":
        return webpDimensions(b);
      default:
        break;
    }
    return new int[] {-1, -1};
  }

  /** {@code 1.9 MB}, {@code 312 KB}, {@code 87 B}. */
  public static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return Math.round(bytes / 1024.0) + " KB";
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  private static int[] jpegDimensions(byte[] b) {
    int i = 2;
    while (i + 9 < b.length) {
      if (u8(b, i) != 0xFF) {
        i++;
        continue;
      }
      int marker = u8(b, i + 1);
      if (marker == 0xFF) {
        i++;
        continue;
      }
      boolean standalone = marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8);
      if (standalone) {
        i += 2;
        continue;
      }
      int length = u16(b, i + 2);
      boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (startOfFrame) {
        return new int[] {u16(b, i + 7), u16(b, i + 5)};
      }
      i += 2 + length;
    }
    return new int[] {-1, -1};
  }

  private static int[] webpDimensions(byte[] b) {
    if (b.length < 30) {
      return new int[] {-1, -1};
    }
    if (startsWith(b, 12, 'V', 'P', '8', ' ')) {
      return new int[] {(u8(b, 26) | u8(b, 27) << 8) & 0x3FFF, (u8(b, 28) | u8(b, 29) << 8) & 0x3FFF};
    }
    if (startsWith(b, 12, 'V', 'P', '8', 'L')) {
      int bits = u8(b, 21) | u8(b, 22) << 8 | u8(b, 23) << 16 | u8(b, 24) << 24;
      return new int[] {(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
    }
    if (startsWith(b, 12, 'V', 'P', '8', 'X')) {
      return new int[] {(u8(b, 24) | u8(b, 25) << 8 | u8(b, 26) << 16) + 1, (u8(b, 27) | u8(b, 28) << 8 | u8(b, 29) << 16) + 1};
    }
    return new int[] {-1, -1};
  }

  private static boolean startsWith(byte[] b, int offset, int... expected) {
    if (b == null || b.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (u8(b, offset + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static int u16(byte[] b, int i) {
    return u8(b, i) << 8 | u8(b, i + 1);
  }

  private static int int32(byte[] b, int i) {
    return u16(b, i) << 16 | u16(b, i + 2);
  }
}
