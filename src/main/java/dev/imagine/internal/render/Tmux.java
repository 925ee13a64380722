package dev.imagine.internal.render;

/**
 * tmux passthrough: tmux swallows escape sequences it does not know, unless wrapped as
 * {@code ESC Ptmux; <sequence with every ESC doubled> ESC \} (and the pane allows it with
 * {@code set -g allow-passthrough on}).
 */
public final class Tmux {
  private static final char ESC = '\033';

  private Tmux() {}

  /** Appends {@code sequence} to {@code out}, wrapped for tmux when {@code tmux} is true. */
  public static void append(StringBuilder out, CharSequence sequence, boolean tmux) {
    if (!tmux) {
      out.append(sequence);
      return;
    }
    out.append(ESC).append("Ptmux;");
    for (int i = 0; i < sequence.length(); i++) {
      char c = sequence.charAt(i);
      if (c == ESC) {
        out.append(ESC);
      }
      out.append(c);
    }
    out.append(ESC).append('\\');
  }

  /** {@code sequence} wrapped for tmux. */
  public static String wrap(CharSequence sequence) {
    StringBuilder out = new StringBuilder(sequence.length() + 16);
    append(out, sequence, true);
    return out.toString();
  }
}
