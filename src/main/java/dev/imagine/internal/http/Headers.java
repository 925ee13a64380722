package dev.imagine.internal.http;

/** Checks of header names and values, so a stray newline fails early instead of splitting a request. */
public final class Headers {
  private Headers() {}

  /** Throws when the name is not a token or the value carries a control character. The value is never echoed: it may be a key. */
  public static void check(String name, String value) {
    if (name == null || name.isEmpty() || !name.chars().allMatch(Headers::isTokenChar)) {
      throw new IllegalArgumentException("header name '" + name + "' is not a valid HTTP header name");
    }
    if (value != null && hasControlChar(value)) {
      throw new IllegalArgumentException("the value of header " + name + " contains a line break or control character");
    }
  }

  /** Whether the text has a control character (newline, carriage return, NUL, ...) other than tab. */
  public static boolean hasControlChar(String text) {
    return text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7F);
  }

  private static boolean isTokenChar(int c) {
    return c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
