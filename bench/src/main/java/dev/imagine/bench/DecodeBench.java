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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the CPU of a response goes: turning one images body (one 1024x1024 PNG of about 2.4 MiB as
 * b64_json) into image bytes, without any network. {@code imagineExtractor} is imagine's streaming
 * extractor fed {@code chunk} bytes at a time, as Vert.x hands over what it read from the socket
 * (8 KiB to 64 KiB, depending on how fast the data comes); {@code stringJacksonBase64} is what
 * openai-java and its caller do (whole body as a String, Jackson tree, {@link Base64} decoder);
 * {@code jdkDecoderAlone} is {@link Base64#getDecoder()} on the payload in one call, no JSON, no chunks:
 * the floor, since the extractor decodes with the same decoder (in 64 KiB spans, inside {@code Base64Sink}).
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
  int payloadStart;
  int payloadEnd;

  @Setup
  public void setup() {
    String b64 = StandInBackend.png("1024x1024");
    payloadBytes = Base64.getDecoder().decode(b64).length;
    body = ("{\"created\":1,\"data\":[{\"b64_json\":\"" + b64 + "\"}],\"size\":\"1024x1024\"}").getBytes(StandardCharsets.US_ASCII);
    payloadStart = indexOf(body, (byte) '"', indexOf(body, (byte) ':', indexOf(body, (byte) 'b', 0)) + 1) + 1;
    payloadEnd = indexOf(body, (byte) '"', payloadStart);
  }

  /** How many bytes each network read hands over. */
  @State(Scope.Thread)
  public static class Chunks {
    @Param({"8192", "65536"})
    int chunk;
  }

  @Benchmark
  public java.util.List<byte[]> imagineExtractor(Chunks chunks) {
    int chunk = chunks.chunk;
    ImagePayloadExtractor x = new ImagePayloadExtractor();
    for (int i = 0; i < body.length; i += chunk) {
      x.feed(body, i, Math.min(chunk, body.length - i));
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
  public java.nio.ByteBuffer jdkDecoderAlone() {
    return Base64.getDecoder().decode(java.nio.ByteBuffer.wrap(body, payloadStart, payloadEnd - payloadStart));
  }

  static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
