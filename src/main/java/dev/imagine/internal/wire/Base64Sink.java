package dev.imagine.internal.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes one base64 payload, handed over in runs as it streams in, with {@link Base64#getDecoder()}
 * (an intrinsic on recent JDKs). Characters gather in a span of {@link #SPAN} (a multiple of 4);
 * each full span decodes straight into a new piece of exactly {@code SPAN / 4 * 3} bytes, so the
 * image is never held twice, never as a String, and never in one array big enough to be a G1
 * humongous object. Each piece goes to the payload's {@link PayloadOutput} as soon as it is decoded.
 *
 * <p>Input the JDK rejects (white space, base64url's {@code -} and {@code _}, misplaced padding, a
 * stray character) takes a slow path for that span only: it is tidied in place and decoded again,
 * or the problem is recorded and reported by {@link #finish()}.
 */
final class Base64Sink {
  /** Characters per span; 64 KiB keeps the per-stream scratch small and the pieces well under a G1 region. */
  static final int SPAN = 64 * 1024;
  private static final int PIECE = SPAN / 4 * 3;
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private final PayloadOutput out;
  private final byte[] one = new byte[1];
  private byte[] span;
  private int length;
  private boolean padded; // a '=' was decoded: only white space may follow
  private String error;

  Base64Sink(PayloadOutput out) {
    this.out = out;
  }

  /** Feeds one character that came out of a JSON escape (such as {@code \/}). */
  void accept(int c) {
    if (c > 0x7F) {
      fail("a character that is not base64 (code " + c + ")");
      return;
    }
    one[0] = (byte) c;
    acceptRun(one, 0, 1);
  }

  /** Feeds a run of characters from inside the JSON string (no quotes or backslashes). */
  void acceptRun(byte[] in, int from, int to) {
    if (error != null) {
      return;
    }
    if (padded) {
      onlySpaceAfterPadding(in, from, to);
      return;
    }
    if (span == null) {
      span = new byte[SPAN];
    }
    int i = from;
    while (i < to) {
      int n = Math.min(to - i, SPAN - length);
      System.arraycopy(in, i, span, length, n);
      length += n;
      i += n;
      if (length == SPAN) {
        decodeFullSpan();
        if (error != null) {
          return;
        }
        if (padded) {
          onlySpaceAfterPadding(in, i, to);
          return;
        }
      }
    }
  }

  private void decodeFullSpan() {
    byte[] piece = new byte[PIECE];
    int n;
    try {
      n = DECODER.decode(span, piece);
    } catch (IllegalArgumentException rejected) {
      if (!tidy(rejected) || length < SPAN) {
        return; // broken (recorded), or shorter now: it fills up again from the next run
      }
      try {
        n = DECODER.decode(span, piece);
      } catch (IllegalArgumentException stillRejected) {
        fail(stillRejected.getMessage());
        return;
      }
    }
    if (n < PIECE) {
      padded = true; // the span ended in padding
      piece = Arrays.copyOf(piece, n);
    }
    out.accept(piece);
    length = 0;
  }

  /**
   * The slow path: drops white space, maps base64url to base64 and checks that padding comes last,
   * compacting the span in place. Returns false (the problem recorded) when the span is not base64.
   */
  private boolean tidy(IllegalArgumentException rejected) {
    int kept = 0;
    boolean changed = false;
    boolean sawPadding = false;
    for (int i = 0; i < length; i++) {
      int c = span[i] & 0xFF;
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        changed = true;
        continue;
      }
      if (c == '=') {
        sawPadding = true;
      } else if (c == '-' || c == '_') {
        c = c == '-' ? '+' : '/';
        changed = true;
      } else if (!isAlphabet(c)) {
        fail("a character that is not base64 (code " + c + ")");
        return false;
      } else if (sawPadding) {
        fail("data after base64 padding");
        return false;
      }
      span[kept++] = (byte) c;
    }
    length = kept;
    if (!changed) {
      fail(rejected.getMessage());
      return false;
    }
    return true;
  }

  private void onlySpaceAfterPadding(byte[] in, int from, int to) {
    for (int i = from; i < to; i++) {
      int c = in[i];
      if (!(c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '=')) {
        fail("data after base64 padding");
        return;
      }
    }
  }

  private static boolean isAlphabet(int c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
  }

  private void fail(String problem) {
    if (error == null) {
      error = problem;
    }
    span = null;
    out.discard();
  }

  /**
   * Hands the last piece to the output and returns it; throws {@link IllegalStateException}
   * naming the problem when the input was not base64 (the output was discarded then).
   */
  PayloadOutput finish() {
    if (error == null && length > 0) {
      decodeLastSpan();
    }
    span = null;
    if (error != null) {
      throw new IllegalStateException("the image's base64 is broken: " + error);
    }
    return out;
  }

  private void decodeLastSpan() {
    for (int attempt = 0; ; attempt++) {
      try {
        ByteBuffer decoded = DECODER.decode(ByteBuffer.wrap(span, 0, length));
        byte[] piece = decoded.array();
        if (decoded.remaining() > 0) {
          out.accept(decoded.remaining() == piece.length ? piece : Arrays.copyOf(piece, decoded.remaining()));
        }
        return;
      } catch (IllegalArgumentException rejected) {
        if (attempt > 0) {
          fail(rejected.getMessage());
          return;
        }
        if (!tidy(rejected)) {
          return;
        }
      }
    }
  }
}
