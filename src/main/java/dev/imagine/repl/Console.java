package dev.imagine.repl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one way output reaches the terminal while no line is being read: the REPL's own messages,
 * what snippets print, and a status line (the progress spinner) that is cleared before anything
 * else is written, so nothing tears.
 */
final class Console {
  private final OutputStream out;
  private boolean statusShown;
  private boolean atLineStart = true;

  Console(OutputStream out) {
    this.out = out;
  }

  /** Writes {@code text} (use {@code \n} for new lines). */
  synchronized void print(String text) {
    write(text.getBytes(StandardCharsets.UTF_8), 0, text.length() == 0 ? 0 : -1);
  }

  synchronized void println(String line) {
    print(line + "\n");
  }

  /** Shows {@code line} as the status line, replacing the previous one; only at the start of a line. */
  synchronized void status(String line) {
    if (!atLineStart && !statusShown) {
      return; // a snippet left a partial line: drawing over it would hide it
    }
    raw("\r" + line + "\033[K");
    statusShown = true;
  }

  /** Removes the status line, if shown. */
  synchronized void clearStatus() {
    if (statusShown) {
      raw("\r\033[K");
      statusShown = false;
    }
  }

  /** A stream for {@code System.out}/{@code System.err} of snippets. */
  OutputStream stream() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (Console.this) {
          Console.this.write(b, off, len);
        }
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }
    };
  }

  private void write(byte[] bytes, int off, int len) {
    int n = len < 0 ? bytes.length - off : len;
    if (n == 0) {
      return;
    }
    clearStatus();
    try {
      out.write(bytes, off, n);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    atLineStart = bytes[off + n - 1] == '\n';
  }

  private void raw(String s) {
    try {
      out.write(s.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
