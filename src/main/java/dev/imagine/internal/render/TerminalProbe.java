package dev.imagine.internal.render;

import java.io.IOException;
import java.util.Locale;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.spi.TerminalExt;
import org.jline.utils.NonBlockingReader;

/**
 * Asks a terminal, in one round trip, whether it speaks the kitty graphics protocol, how big its
 * cells are, and (through its device attributes) whether it does sixel.
 */
public final class TerminalProbe {
  /**
   * The kitty query: a 1x1 RGB image ({@code AAAA} is three zero bytes) that is only checked
   * ({@code a=q}), never stored. Terminals without kitty graphics ignore the APC.
   */
  public static final String KITTY_QUERY = "\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\";
  /** XTWINOPS: report the cell size in pixels, answered {@code ESC [ 6 ; height ; width t}. */
  public static final String CELL_SIZE_QUERY = "\033[16t";
  /** Primary device attributes: every terminal answers, so it goes last to mark the end. */
  public static final String DA1_QUERY = "\033[c";

  private TerminalProbe() {}

  /** The batch sent, kitty's query wrapped for tmux (tmux itself answers the other two). */
  public static String queries(boolean tmux) {
    StringBuilder out = new StringBuilder(64);
    Tmux.append(out, KITTY_QUERY, tmux);
    return out.append(CELL_SIZE_QUERY).append(DA1_QUERY).toString();
  }

  /**
   * False for terminals that must not see a query: a dumb type, JLine's dumb terminal, or a
   * system terminal whose stream is not a tty. The replies would never come, or would end up as
   * garbage in a file.
   */
  public static boolean canQuery(Terminal terminal) {
    String type = terminal.getType();
    if (type == null || type.toLowerCase(Locale.ROOT).startsWith(Terminal.TYPE_DUMB) || terminal instanceof DumbTerminal) {
      return false;
    }
    if (terminal instanceof TerminalExt ext && ext.getSystemStream() != null && ext.getProvider() != null) {
      return ext.getProvider().isSystemStream(ext.getSystemStream());
    }
    return true;
  }

  /**
   * Sends the queries and reads replies in raw mode (no echo, no line buffering) until the DA1
   * reply or {@code timeoutMillis} in all, then restores the terminal's modes.
   */
  public static TerminalReplies query(Terminal terminal, boolean tmux, long timeoutMillis) {
    Attributes saved = terminal.enterRawMode();
    try {
      terminal.writer().write(queries(tmux));
      terminal.flush();
      NonBlockingReader reader = terminal.reader();
      StringBuilder replies = new StringBuilder(64);
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          break;
        }
        int c = reader.read(left);
        if (c < 0) { // end of input, or time is up
          break;
        }
        replies.append((char) c);
        if (c == 'c' && TerminalReplies.parse(replies).deviceAttributes()) {
          break;
        }
      }
      return TerminalReplies.parse(replies);
    } catch (IOException e) {
      return TerminalReplies.NONE; // images are a nicety: a failed probe means none, not a crash
    } finally {
      terminal.setAttributes(saved);
    }
  }
}
