package dev.imagine.internal.wire;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads an images response as it streams in and pulls every {@code "b64_json"} string out of it,
 * decoding each straight to bytes (in pieces, see {@link Base64Sink}) that go to a {@link PayloadOutput}
 * of its own (memory unless the caller gives another); what remains (the small JSON skeleton, with each payload replaced
 * by {@code "#<index>"}) is parsed by Jackson afterwards. Peak heap is then about the decoded images
 * plus one chunk, not the 2.3x to 5x a whole-body String costs. Any other body (an error, an HTML
 * page) passes through to the skeleton untouched, up to {@link #MAX_SKELETON} bytes.
 */
public final class ImagePayloadExtractor {
  /** More non-image bytes than this are not kept: no real answer has them. */
  public static final int MAX_SKELETON = 4 * 1024 * 1024;
  private static final byte[] KEY = "b64_json".getBytes(StandardCharsets.US_ASCII);
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;

  private enum State { OUTSIDE, STRING, STRING_ESCAPE, AFTER_KEY, AFTER_COLON, PAYLOAD, PAYLOAD_ESCAPE, PAYLOAD_UNICODE }

  private final ByteArrayOutputStream skeleton = new ByteArrayOutputStream(1024);
  private final Supplier<? extends PayloadOutput> outputs;
  private final List<PayloadOutput> payloads = new ArrayList<>();
  private State state = State.OUTSIDE;
  private int keyMatch; // characters of KEY matched so far in the current string, -1 on mismatch
  private boolean truncated;
  private long totalBytes;
  private Base64Sink sink;
  private int unicodeDigits;
  private int unicodeValue;

  /** An extractor that keeps every payload in memory. */
  public ImagePayloadExtractor() {
    this(PayloadOutput.InMemory::new);
  }

  /** An extractor that gives each payload, as it starts, an output of its own from {@code outputs}. */
  public ImagePayloadExtractor(Supplier<? extends PayloadOutput> outputs) {
    this.outputs = outputs;
  }

  /** Feeds the next bytes of the body. */
  public void feed(byte[] data, int offset, int length) {
    totalBytes += length;
    int end = offset + length;
    int copyFrom = offset; // start of the current run of bytes that go to the skeleton as they are
    for (int i = offset; i < end; i++) {
      int c = data[i] & 0xFF;
      switch (state) {
        case OUTSIDE -> {
          if (c == '"') {
            state = State.STRING;
            keyMatch = 0;
          }
        }
        case STRING -> {
          if (c == '"') {
            state = keyMatch == KEY.length ? State.AFTER_KEY : State.OUTSIDE;
          } else if (c == '\\') {
            state = State.STRING_ESCAPE;
            keyMatch = -1;
          } else if (keyMatch >= 0) {
            keyMatch = keyMatch < KEY.length && KEY[keyMatch] == c ? keyMatch + 1 : -1;
          }
        }
        case STRING_ESCAPE -> state = State.STRING;
        case AFTER_KEY -> state = c == ':' ? State.AFTER_COLON : isSpace(c) ? State.AFTER_KEY : reprocess(c);
        case AFTER_COLON -> {
          if (c == '"') {
            keep(data, copyFrom, i + 1);
            skeleton.writeBytes(("#" + payloads.size()).getBytes(StandardCharsets.US_ASCII));
            sink = new Base64Sink(outputs.get());
            state = State.PAYLOAD;
            copyFrom = i + 1;
          } else if (!isSpace(c)) {
            state = reprocess(c);
          }
        }
        case PAYLOAD -> {
          if (c == '"') {
            payloads.add(null); // placeholder: decoded in finishPayload
            finishPayload();
            copyFrom = i; // the closing quote goes to the skeleton
            state = State.OUTSIDE;
          } else if (c == '\\') {
            state = State.PAYLOAD_ESCAPE;
            copyFrom = i + 1;
          } else {
            // whole quads straight from the buffer; the scan for the closing quote only sees what is left
            int taken = sink.acceptDirect(data, i, end);
            int runEnd = endOfRun(data, taken, end);
            sink.acceptRun(data, taken, runEnd);
            i = runEnd - 1;
            copyFrom = runEnd;
          }
        }
        case PAYLOAD_ESCAPE -> {
          if (c == 'u') {
            state = State.PAYLOAD_UNICODE;
            unicodeDigits = 0;
            unicodeValue = 0;
          } else {
            if (c == '/') {
              sink.accept('/'); // "\/" is how some servers (PHP) write a slash
            } // \n, \r, \t: line breaks inside the payload, skipped
            state = State.PAYLOAD;
          }
          copyFrom = i + 1;
        }
        case PAYLOAD_UNICODE -> {
          unicodeValue = unicodeValue << 4 | Character.digit(c, 16);
          if (++unicodeDigits == 4) {
            sink.accept(unicodeValue);
            state = State.PAYLOAD;
          }
          copyFrom = i + 1;
        }
      }
    }
    if (state != State.PAYLOAD && state != State.PAYLOAD_ESCAPE && state != State.PAYLOAD_UNICODE) {
      keep(data, copyFrom, end);
    }
  }

  /** A byte that ends an {@code AFTER_*} state is looked at again as if outside a string. */
  private State reprocess(int c) {
    if (c == '"') {
      keyMatch = 0;
      return State.STRING;
    }
    return State.OUTSIDE;
  }

  private void finishPayload() {
    payloads.set(payloads.size() - 1, sink.finish());
    sink = null;
  }

  private void keep(byte[] data, int from, int to) {
    if (to <= from) {
      return;
    }
    int room = MAX_SKELETON - skeleton.size();
    if (to - from > room) {
      truncated = true;
      to = from + Math.max(room, 0);
    }
    skeleton.write(data, from, to - from);
  }

  /**
   * The index of the next quote or backslash at or after {@code from}, or {@code end}. Looks at
   * eight bytes a step (a payload is megabytes of neither), then finds the byte one at a time.
   */
  private static int endOfRun(byte[] data, int from, int end) {
    int i = from;
    for (; i + 8 <= end; i += 8) {
      long word = (long) LONGS.get(data, i);
      if ((hasZeroByte(word ^ QUOTES) | hasZeroByte(word ^ BACKSLASHES)) != 0) {
        break;
      }
    }
    for (; i < end; i++) {
      byte b = data[i];
      if (b == '"' || b == '\\') {
        return i;
      }
    }
    return end;
  }

  private static long hasZeroByte(long v) {
    return (v - ONES) & ~v & HIGHS;
  }

  private static boolean isSpace(int c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** The body without its image payloads. */
  public byte[] skeleton() {
    return skeleton.toByteArray();
  }

  /** The outputs of the payloads decoded so far, by the index their placeholder names. */
  public List<PayloadOutput> payloads() {
    return payloads;
  }

  /** Whether the body ended inside an image payload (a connection cut mid-image). */
  public boolean endedInsidePayload() {
    return sink != null;
  }

  /** Whether non-image bytes beyond {@link #MAX_SKELETON} were dropped. */
  public boolean truncated() {
    return truncated;
  }

  /** All bytes fed. */
  public long totalBytes() {
    return totalBytes;
  }

  /**
   * The payload (in pieces) a placeholder such as {@code #0} stands for, or {@code null} when it is
   * not one; for an extractor that keeps payloads in memory (see {@link #output(String)} for others).
   */
  public List<byte[]> payload(String placeholder) {
    PayloadOutput output = output(placeholder);
    return output == null ? null : ((PayloadOutput.InMemory) output).pieces();
  }

  /** The output of the payload a placeholder such as {@code #0} stands for, or {@code null} when it is not one. */
  public PayloadOutput output(String placeholder) {
    if (placeholder == null || !placeholder.startsWith("#")) {
      return null;
    }
    try {
      int index = Integer.parseInt(placeholder.substring(1));
      return index < payloads.size() ? payloads.get(index) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
