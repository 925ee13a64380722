package dev.imagine.internal.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes one base64 payload, handed over in runs as it streams in, with {@link Base64#getDecoder()}
 * (an intrinsic on recent JDKs). The fast path, {@link #acceptDirect}, decodes the whole quads of
 * a network buffer straight from it, without looking for the closing quote first: the JDK's decoder
 * stops at anything that is not base64, and only then is the run scanned and copied. Characters
 * that do not make a whole quad, or that come out of JSON escapes, gather in a span of
 * {@link #SPAN} (a multiple of 4), decoded when full. Each piece is a new array of exactly its
 * decoded size, so the image is never held twice, never as a String, and never in one array big
 * enough to be a G1 humongous object. Each piece goes to the payload's {@link PayloadOutput} as soon
 * as it is decoded.
 *
 * <p>Input the JDK rejects (white space, base64url's {@code -} and {@code _}, misplaced padding, a
 * stray character) takes a slow path for that span only: it is tidied in place and decoded again,
 * or the problem is recorded and reported by {@link #finish()}.
 */
final class Base64Sink {
  /** Characters per span; 64 KiB keeps the per-stream scratch small and the pieces well under a G1 region. */
  static final int SPAN = 64 * 1024;
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private final PayloadOutput out;
  private final byte[] one = new byte[1];
  private byte[] span;
  private int length;
  private boolean padded; // a '=' was decoded: only white space may follow
  private boolean copying; // the fast path met input it could not take: the rest of the payload is copied
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

  /**
   * The fast path: decodes the whole quads of {@code in[from, to)} straight from {@code in}, as
   * long as they are plain base64 (any closing quote or escape makes the JDK's decoder refuse them),
   * and returns where it stopped: fewer than 4 characters before {@code to}, or {@code from} when
   * it took nothing. The caller hands what is left to {@link #acceptRun} once it has found where the
   * run ends. After one refusal the rest of the payload takes the copying path, so a server that
   * escapes every {@code /} costs no exception per run.
   */
  int acceptDirect(byte[] in, int from, int to) {
    if (copying || error != null || padded) {
      return from;
    }
    int i = from;
    if (length > 0) {
      // what an earlier run left: complete its last quad from this run, then decode it first
      int missing = (4 - length % 4) % 4;
      if (to - i < missing + 4 || !plain(in, i, i + missing)) {
        return from;
      }
      acceptRun(in, i, i + missing);
      i += missing;
      if (padded || error != null) {
        return i;
      }
      if (length % 4 != 0 || length > 0 && !decodeSpan(false)) {
        copying = true; // tidying the span shortened it out of step with the quads
        return i;
      }
    }
    int end = i + ((to - i) & ~3);
    while (i < end) {
      int n = Math.min(end - i, SPAN); // pieces stay well under a G1 region however much one read holds
      ByteBuffer out;
      try {
        out = DECODER.decode(ByteBuffer.wrap(in, i, n));
      } catch (IllegalArgumentException notPlain) {
        copying = true;
        return i;
      }
      addPiece(out);
      i += n;
      if (out.remaining() < n / 4 * 3) {
        padded = true; // the run ended in padding
        return i;
      }
    }
    return i;
  }

  private static boolean plain(byte[] in, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isAlphabet(in[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  /** Feeds a run of characters from inside the JSON string (no quotes or backslashes). */
  void acceptRun(byte[] in, int from, int to) {
    if (error != null || from >= to) {
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
        decodeSpan(false);
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

  /**
   * Decodes the span's characters into a piece, taking the slow path when the JDK refuses them.
   * Returns false when the span is not empty afterwards: tidying left a part quad, and (unless this
   * is the {@code last} span) it fills up again from the next run; or the problem was recorded.
   */
  private boolean decodeSpan(boolean last) {
    for (int attempt = 0; ; attempt++) {
      try {
        ByteBuffer out = DECODER.decode(ByteBuffer.wrap(span, 0, length));
        if (out.remaining() < length / 4 * 3) {
          padded = true; // the span ended in padding
        }
        addPiece(out);
        length = 0;
        return true;
      } catch (IllegalArgumentException rejected) {
        if (attempt > 0) {
          fail(rejected.getMessage());
          return false;
        }
        if (!tidy(rejected) || !last && length % 4 != 0) {
          return false;
        }
      }
    }
  }

  private void addPiece(ByteBuffer decoded) {
    byte[] piece = decoded.array();
    if (decoded.remaining() > 0) {
      out.accept(decoded.remaining() == piece.length ? piece : Arrays.copyOf(piece, decoded.remaining()));
    }
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
   * Hands the last piece (of at most {@code SPAN / 4 * 3} bytes, as every piece) to the output and
   * returns it; throws {@link IllegalStateException} naming the problem when the input was not
   * base64 (the output was discarded then).
   */
  PayloadOutput finish() {
    if (error == null && length > 0) {
      decodeSpan(true);
    }
    span = null;
    if (error != null) {
      throw new IllegalStateException("the image's base64 is broken: " + error);
    }
    return out;
  }
}
