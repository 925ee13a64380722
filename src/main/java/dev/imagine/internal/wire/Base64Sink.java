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

  /**
   * Feeds a run of base64 characters (no quotes or escapes). Whole quads decode four characters at a
   * time straight into the current chunk; anything else (white space, padding, a quad split across
   * runs) takes the character-at-a-time path.
   */
  void acceptRun(byte[] in, int from, int to) {
    int i = from;
    while (i < to) {
      if (bitCount != 0 || padded || error != null || to - i < 4 || current.length - position < 3) {
        accept(in[i++] & 0xFF);
        continue;
      }
      byte[] out = current;
      int at = position;
      int fastEnd = to - 3;
      int room = out.length - 2;
      while (i < fastEnd && at < room) {
        int q = VALUE[in[i] & 0xFF] << 18 | VALUE[in[i + 1] & 0xFF] << 12 | VALUE[in[i + 2] & 0xFF] << 6 | VALUE[in[i + 3] & 0xFF];
        if (q < 0) {
          break; // a character outside the alphabet (all values are < 64, so only -1 makes q negative)
        }
        out[at] = (byte) (q >> 16);
        out[at + 1] = (byte) (q >> 8);
        out[at + 2] = (byte) q;
        at += 3;
        i += 4;
      }
      position = at;
      if (i < to) {
        accept(in[i++] & 0xFF); // whatever stopped the fast loop takes the slow path, so the loop advances
      }
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
