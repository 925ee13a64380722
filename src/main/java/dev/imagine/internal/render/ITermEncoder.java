package dev.imagine.internal.render;

import java.util.Base64;

/**
 * iTerm2 inline images, also understood by WezTerm and VS Code:
 * {@code OSC 1337 ; File=inline=1;size=<bytes>;width=<cols>;height=<rows>;preserveAspectRatio=1 : <base64> BEL}.
 * The terminal decodes the file itself (PNG, JPEG, GIF) and fits it in the cell box.
 */
public final class ITermEncoder {
  private ITermEncoder() {}

  /** The escape that draws {@code image} (encoded file bytes) over {@code columns x rows} cells, without a trailing newline. */
  public static String encode(byte[] image, int columns, int rows, boolean tmux) {
    String base64 = Base64.getEncoder().encodeToString(image);
    StringBuilder escape = new StringBuilder(base64.length() + 128)
        .append("\033]1337;File=inline=1;size=").append(image.length)
        .append(";width=").append(columns).append(";height=").append(rows)
        .append(";preserveAspectRatio=1:").append(base64).append('\007');
    if (!tmux) {
      return escape.toString();
    }
    StringBuilder out = new StringBuilder(escape.length() + 16);
    Tmux.append(out, escape, true);
    return out.toString();
  }
}
