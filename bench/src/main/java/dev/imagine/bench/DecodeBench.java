package dev.imagine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagine.internal.wire.ImagePayloadExtractor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the CPU of a response goes: turning one images body (one 1024x1024 PNG of about 2.4 MiB as
 * b64_json) into image bytes, without any network. {@code imagineExtractor} is imagine's streaming
 * extractor fed 8 KiB at a time, as Vert.x hands it over; {@code stringJacksonBase64} is what
 * openai-java and its caller do (whole body as a String, Jackson tree, {@link Base64} decoder);
 * {@code bulkRunDecoder} is a bare four-characters-a-step base64 loop (see {@link BulkBase64}): the floor the
 * extractor, which now decodes runs the same way inside {@code Base64Sink}, is measured against.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class DecodeBench {
  static final ObjectMapper MAPPER = new ObjectMapper();
  byte[] body;
  int payloadBytes;

  @Setup
  public void setup() {
    String b64 = StandInBackend.png("1024x1024");
    payloadBytes = Base64.getDecoder().decode(b64).length;
    body = ("{\"created\":1,\"data\":[{\"b64_json\":\"" + b64 + "\"}],\"size\":\"1024x1024\"}").getBytes(StandardCharsets.US_ASCII);
  }

  @Benchmark
  public byte[] imagineExtractor() {
    ImagePayloadExtractor x = new ImagePayloadExtractor();
    for (int i = 0; i < body.length; i += 8192) {
      x.feed(body, i, Math.min(8192, body.length - i));
    }
    return x.payload("#0");
  }

  @Benchmark
  public byte[] stringJacksonBase64() throws Exception {
    String whole = new String(body, StandardCharsets.UTF_8);
    JsonNode root = MAPPER.readTree(whole);
    return Base64.getDecoder().decode(root.path("data").path(0).path("b64_json").textValue());
  }

  @Benchmark
  public byte[] bulkRunDecoder() {
    BulkBase64 d = new BulkBase64();
    int start = indexOf(body, (byte) '"', indexOf(body, (byte) ':', indexOf(body, (byte) 'b', 0)) + 1) + 1;
    int end = indexOf(body, (byte) '"', start);
    for (int i = start; i < end; i += 8192) {
      d.decode(body, i, Math.min(i + 8192, end));
    }
    return d.finish();
  }

  static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A bare decoding loop, the reference floor (the extractor does the same in Base64Sink): decode a whole run of base64
   * characters (up to the closing quote or a backslash) four at a time straight into the output
   * array, carrying at most three characters over to the next chunk, instead of one state-machine
   * step, one call and one bounds-checked store per character.
   */
  static final class BulkBase64 {
    private static final int[] VALUE = new int[256];

    static {
      java.util.Arrays.fill(VALUE, -1);
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      for (int i = 0; i < alphabet.length(); i++) {
        VALUE[alphabet.charAt(i)] = i;
      }
    }

    private byte[] out = new byte[1 << 16];
    private int size;
    private int bits;
    private int count;

    void decode(byte[] in, int from, int to) {
      int room = size + (to - from) * 3 / 4 + 3;
      if (room > out.length) {
        out = java.util.Arrays.copyOf(out, Math.max(room, out.length * 2));
      }
      byte[] o = out;
      int s = size;
      int i = from;
      while (count != 0 && i < to) { // finish a quad left over from the last chunk
        i = one(in[i], i);
        s = size;
      }
      int fast = to - 3;
      while (i < fast) {
        int a = VALUE[in[i] & 0xFF];
        int b = VALUE[in[i + 1] & 0xFF];
        int c = VALUE[in[i + 2] & 0xFF];
        int d = VALUE[in[i + 3] & 0xFF];
        if ((a | b | c | d) < 0) {
          break; // padding, white space or a bad character: the slow path decides
        }
        int q = a << 18 | b << 12 | c << 6 | d;
        o[s] = (byte) (q >> 16);
        o[s + 1] = (byte) (q >> 8);
        o[s + 2] = (byte) q;
        s += 3;
        i += 4;
      }
      size = s;
      while (i < to) {
        i = one(in[i], i);
      }
    }

    private int one(byte ch, int i) {
      int v = VALUE[ch & 0xFF];
      if (v >= 0) {
        bits = bits << 6 | v;
        if (++count == 4) {
          out[size++] = (byte) (bits >> 16);
          out[size++] = (byte) (bits >> 8);
          out[size++] = (byte) bits;
          count = 0;
          bits = 0;
        }
      }
      return i + 1;
    }

    byte[] finish() {
      if (count >= 2) {
        out[size++] = (byte) (bits >> (count == 2 ? 4 : 10));
      }
      if (count == 3) {
        out[size++] = (byte) (bits >> 2);
      }
      return java.util.Arrays.copyOf(out, size);
    }
  }
}
