package dev.imagine.render;

import java.util.Locale;

/**
 * How a terminal can draw pixels, from best to worst.
 *
 * <pre>{@code
 * GraphicsProtocol p = GraphicsProtocol.parse("sixel");   // SIXEL
 * }</pre>
 */
public enum GraphicsProtocol {
  /** The kitty graphics protocol (kitty, Ghostty, Konsole, WezTerm): PNG sent in APC chunks. */
  KITTY,
  /** iTerm2's inline images, {@code OSC 1337 File=} (iTerm2, WezTerm, VS Code). */
  ITERM,
  /** DEC sixel graphics (xterm -ti vt340, foot, mlterm, Windows Terminal, WezTerm). */
  SIXEL,
  /** Unicode upper half blocks in 24-bit colour: two pixels per cell, works almost anywhere. */
  BLOCKS,
  /** Draw nothing. */
  NONE;

  private static final String ALLOWED = "kitty, iterm, sixel, blocks, none";

  /**
   * Parses {@code kitty}, {@code iterm}, {@code sixel}, {@code blocks} or {@code none}, ignoring
   * case and surrounding blanks.
   *
   * @throws IllegalArgumentException for any other name, with a message listing the allowed ones
   */
  public static GraphicsProtocol parse(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (GraphicsProtocol p : values()) {
        if (p.name().toLowerCase(Locale.ROOT).equals(n)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("unknown image protocol '" + name + "': expected one of " + ALLOWED);
  }
}
