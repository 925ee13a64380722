package dev.imagine.internal.render;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /** How long past its own time limit the exchange may take before it is given up. */
  static final long GRACE_MILLIS = 200;

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
   * reply or {@code timeoutMillis} in all, then restores the terminal's modes. The exchange runs on
   * a thread of its own and is given up after the time limit (plus a little) even when a read
   * does not honour its timeout, so a terminal that never answers cannot hang the REPL's start.
   */
  public static TerminalReplies query(Terminal terminal, boolean tmux, long timeoutMillis) {
    Attributes saved = terminal.enterRawMode();
    CompletableFuture<TerminalReplies> replies = new CompletableFuture<>();
    Thread exchange = new Thread(() -> {
      try {
        replies.complete(exchange(terminal, tmux, timeoutMillis));
      } catch (IOException | RuntimeException e) {
        replies.complete(TerminalReplies.NONE); // images are a nicety: a failed probe means none, not a crash
      }
    }, "imagine-terminal-probe");
    exchange.setDaemon(true);
    exchange.start();
    try {
      return replies.get(timeoutMillis + GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.interrupt();
      return TerminalReplies.NONE;
    } catch (InterruptedException e) {
      exchange.interrupt();
      Thread.currentThread().interrupt();
      return TerminalReplies.NONE;
    } catch (ExecutionException e) {
      return TerminalReplies.NONE;
    } finally {
      terminal.setAttributes(saved);
    }
  }

  private static TerminalReplies exchange(Terminal terminal, boolean tmux, long timeoutMillis) throws IOException {
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
  }
}
