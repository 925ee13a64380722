package dev.imagine.internal.render;

import java.util.Base64;

/**
 * The kitty graphics protocol: a PNG sent directly ({@code f=100}), transmitted and displayed at
 * once ({@code a=T}) over {@code c x r} cells.
 *
 * <p>kitty limits one escape to 4096 bytes of base64, so the payload goes in chunks: {@code m=1}
 * on all but the last, {@code m=0} on the last, and the keys only on the first. {@code q=2}
 * silences the terminal's replies, which would otherwise arrive as typed input in the line editor.
 */
public final class KittyEncoder {
  /** Most base64 bytes kitty accepts in one escape; a multiple of 4, so chunks split cleanly. */
  public static final int CHUNK = 4096;

  private KittyEncoder() {}

  /** The escapes that draw {@code png} over {@code columns x rows} cells, without a trailing newline. */
  public static String encode(byte[] png, int columns, int rows, boolean tmux) {
    byte[] base64 = Base64.getEncoder().encode(png);
    int chunks = Math.max(1, (base64.length + CHUNK - 1) / CHUNK);
    StringBuilder out = new StringBuilder(base64.length + chunks * (tmux ? 48 : 16) + 64);
    StringBuilder escape = new StringBuilder(CHUNK + 64);
    for (int i = 0; i < chunks; i++) {
      escape.setLength(0);
      escape.append("\033_G");
      if (i == 0) {
        escape.append("a=T,f=100,q=2,c=").append(columns).append(",r=").append(rows).append(',');
      }
      escape.append(i < chunks - 1 ? "m=1" : "m=0").append(';');
      int end = Math.min(base64.length, (i + 1) * CHUNK);
      for (int j = i * CHUNK; j < end; j++) {
        escape.append((char) base64[j]);
      }
      escape.append("\033\\");
      Tmux.append(out, escape, tmux);
    }
    return out.toString();
  }
}
