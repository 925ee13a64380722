package dev.imagine.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePayloadExtractorTest {
  final Random random = new Random(42);

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static byte[] joined(List<byte[]> pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    pieces.forEach(out::writeBytes);
    return out.toByteArray();
  }

  ImagePayloadExtractor feedInRandomChunks(String body) {
    return feedInRandomChunks(body, 7);
  }

  ImagePayloadExtractor feedInRandomChunks(String body, int maxChunk) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ImagePayloadExtractor x = new ImagePayloadExtractor();
    int at = 0;
    while (at < bytes.length) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(maxChunk));
      x.feed(bytes, at, n);
      at += n;
    }
    return x;
  }

  @Test
  void extractsEveryPayloadWhateverTheChunkBoundaries() throws Exception {
    byte[] a = randomBytes(5000);
    byte[] b = randomBytes(1);
    String body = "{ \"created\" : 1, \"data\" : [ {\"revised_prompt\":\"say \\\"b64_json\\\"\", \"b64_json\" : \""
        + Base64.getEncoder().encodeToString(a) + "\"}, {\"b64_json\":\"" + Base64.getEncoder().encodeToString(b)
        + "\"} ], \"note\": \"b64_json\" }";
    for (int round = 0; round < 40; round++) {
      ImagePayloadExtractor x = feedInRandomChunks(body, round % 2 == 0 ? 7 : 9000);
      JsonNode skeleton = Json.MAPPER.readTree(x.skeleton());
      assertThat(joined(x.payload(skeleton.at("/data/0/b64_json").asText()))).isEqualTo(a);
      assertThat(joined(x.payload(skeleton.at("/data/1/b64_json").asText()))).isEqualTo(b);
      assertThat(skeleton.at("/data/0/revised_prompt").asText()).isEqualTo("say \"b64_json\"");
      assertThat(skeleton.get("note").asText()).isEqualTo("b64_json");
      assertThat(x.skeleton().length).isLessThan(200);
    }
  }

  @Test
  void whiteSpaceAndEscapesInsideAPayloadAreSkippedByTheFastPath() throws Exception {
    byte[] a = randomBytes(100_000);
    String b64 = Base64.getMimeEncoder().encodeToString(a).replace("\r\n", "\\r\\n").replace("/", "\\/");
    String body = "{\"data\":[{\"b64_json\":\"" + b64 + "\"}]}";
    for (int round = 0; round < 10; round++) {
      ImagePayloadExtractor x = feedInRandomChunks(body, 1 + round * 3000);
      assertThat(joined(x.payload(Json.MAPPER.readTree(x.skeleton()).at("/data/0/b64_json").asText()))).isEqualTo(a);
    }
  }

  @Test
  void otherBodiesPassThroughUntouched() {
    String html = "<html><title>502 Bad Gateway</title></html>";
    assertThat(new String(feedInRandomChunks(html).skeleton(), StandardCharsets.UTF_8)).isEqualTo(html);
    String error = "{\"error\":{\"message\":\"账户余额过低\",\"type\":null}}";
    assertThat(new String(feedInRandomChunks(error).skeleton(), StandardCharsets.UTF_8)).isEqualTo(error);
  }

  @Test
  void brokenBase64IsReportedNotSilentlyCorrupted() {
    assertRejected("AAA*AAA", "not base64");
  }

  static void assertRejected(String payload, String problem) {
    ImagePayloadExtractor x = new ImagePayloadExtractor();
    byte[] body = ("{\"data\":[{\"b64_json\":\"" + payload + "\"}]}").getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> x.feed(body, 0, body.length)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void aBodyCutInsideAnImageIsNoticed() {
    ImagePayloadExtractor x = new ImagePayloadExtractor();
    byte[] body = "{\"data\":[{\"b64_json\":\"AAAA".getBytes(StandardCharsets.US_ASCII);
    x.feed(body, 0, body.length);
    assertThat(x.endedInsidePayload()).isTrue();
  }

  @Test
  void aLargePayloadComesInPiecesSmallerThanAG1RegionHalf() {
    byte[] a = randomBytes(3_000_000);
    String body = "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(a) + "\"}]}";
    for (int maxChunk : new int[] {8192, 70_000, 1_000_000}) {
      List<byte[]> pieces = feedInRandomChunks(body, maxChunk).payload("#0");
      assertThat(joined(pieces)).isEqualTo(a);
      assertThat(pieces).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(Base64Sink.SPAN / 4 * 3));
    }
  }

  @Test
  void theDirectPathAgreesWithTheJdkWhateverTheChunksEscapesAndPadding() throws Exception {
    for (int round = 0; round < 300; round++) {
      byte[] a = randomBytes(random.nextInt(round % 10 == 0 ? 400_000 : 20_000));
      String b64 = Base64.getEncoder().encodeToString(a);
      if (random.nextBoolean()) {
        b64 = b64.replace("=", ""); // some servers leave the padding out
      }
      if (b64.length() > 8 && random.nextInt(3) == 0) {
        int at = random.nextInt(b64.length() - 4);
        int slash = b64.indexOf('/', at);
        // one escape deep inside, after the direct path has taken whole buffers: the rest is copied
        b64 = slash < 0 ? b64.substring(0, at) + "\\n" + b64.substring(at)
            : b64.substring(0, slash) + "\\/" + b64.substring(slash + 1);
      }
      String body = "{\"data\":[{\"b64_json\":\"" + b64 + "\"},{\"b64_json\":\"QUJD\"}],\"size\":\"1x1\"}";
      int maxChunk = new int[] {5, 64, 8192, 65_536, 200_000}[round % 5];
      ImagePayloadExtractor x = feedInRandomChunks(body, maxChunk);
      JsonNode skeleton = Json.MAPPER.readTree(x.skeleton());
      List<byte[]> pieces = x.payload(skeleton.at("/data/0/b64_json").asText());
      assertThat(joined(pieces)).as("round %d", round).isEqualTo(a);
      assertThat(pieces).allSatisfy(p -> assertThat(p.length).isBetween(1, Base64Sink.SPAN / 4 * 3));
      assertThat(joined(x.payload(skeleton.at("/data/1/b64_json").asText()))).isEqualTo("ABC".getBytes(StandardCharsets.US_ASCII));
      assertThat(skeleton.get("size").asText()).isEqualTo("1x1");
    }
  }

  @Test
  void base64urlAndRawWhiteSpaceTakeTheSlowPathAndStillDecode() {
    byte[] a = randomBytes(300_000);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(a);
    StringBuilder spaced = new StringBuilder();
    for (int i = 0; i < url.length(); i += 76) {
      spaced.append(url, i, Math.min(url.length(), i + 76)).append(i % 3 == 0 ? " " : "\t");
    }
    String body = "{\"data\":[{\"b64_json\":\"" + spaced + "\"}]}";
    for (int round = 0; round < 4; round++) {
      assertThat(joined(feedInRandomChunks(body, 1 + round * 20_000).payload("#0"))).isEqualTo(a);
    }
  }

  @Test
  void dataAfterPaddingIsAnErrorEvenWhenThePaddingEndsASpan() {
    // 49,151 bytes encode to exactly one span of 65,536 characters ending in '='
    String onePaddedSpan = Base64.getEncoder().encodeToString(randomBytes(Base64Sink.SPAN / 4 * 3 - 1));
    assertThat(onePaddedSpan).hasSize(Base64Sink.SPAN).endsWith("=");
    for (String payload : new String[] {"AAA=AAAA", onePaddedSpan + "QUJD", onePaddedSpan + "\\/"}) {
      assertRejected(payload, "data after base64 padding");
    }
    ImagePayloadExtractor x = feedInRandomChunks("{\"data\":[{\"b64_json\":\"" + onePaddedSpan + "  \"}]}", 9000);
    assertThat(joined(x.payload("#0"))).hasSize(Base64Sink.SPAN / 4 * 3 - 1);
  }

  @Test
  void aDanglingCharacterAtTheEndIsReported() {
    assertRejected("AAAAA", "base64 is broken");
  }

  @Test
  void aStrayCharacterDeepInALargePayloadIsReported() {
    char[] b64 = Base64.getEncoder().encodeToString(randomBytes(500_000)).toCharArray();
    b64[400_000] = '*';
    assertRejected(new String(b64), "not base64 (code 42)");
  }
}
