package dev.imagine.internal.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes base64 pushed to it a byte at a time into chunks, so an image never exists as a base64
 * String or char[] (which would cost 2.7 bytes of heap per image byte). {@link #finish()} joins the
 * chunks into one array of the exact size.
 */
final class Base64Sink {
  private static final int[] VALUE = new int[256];

  static {
    java.util.Arrays.fill(VALUE, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUE[alphabet.charAt(i)] = i;
    }
    VALUE['-'] = 62; // base64url, which some proxies emit
    VALUE['_'] = 63;
  }

  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current = new byte[16 * 1024];
  private int position;
  private int bits;
  private int bitCount;
  private boolean padded;
  private String error;

  /** Feeds one base64 character; white space is skipped, padding ends the data. */
  void accept(int c) {
    if (c == '=') {
      padded = true;
      return;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      return;
    }
    int v = VALUE[c & 0xFF];
    if (v < 0 || padded) {
      if (error == null) {
        error = padded ? "data after base64 padding" : "a character that is not base64 (code " + c + ")";
      }
      return;
    }
    bits = bits << 6 | v;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      put((byte) (bits >> bitCount));
    }
  }

  private void put(byte b) {
    if (position == current.length) {
      chunks.add(current);
      // grow chunk sizes so large images need few chunks, capped to keep the final copy cheap
      current = new byte[Math.min(current.length * 2, 1 << 20)];
      position = 0;
    }
    current[position++] = b;
  }

  /** The decoded bytes; throws {@link IllegalStateException} naming the problem when the input was not base64. */
  byte[] finish() {
    if (error != null) {
      throw new IllegalStateException("the image's base64 is broken: " + error);
    }
    int total = position;
    for (byte[] chunk : chunks) {
      total += chunk.length;
    }
    byte[] out = new byte[total];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, out, at, chunk.length);
      at += chunk.length;
    }
    System.arraycopy(current, 0, out, at, position);
    chunks.clear();
    current = null;
    return out;
  }
}
