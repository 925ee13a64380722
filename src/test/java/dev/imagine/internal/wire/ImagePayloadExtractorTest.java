package dev.imagine.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePayloadExtractorTest {
  final Random random = new Random(42);

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
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
      assertThat(x.payload(skeleton.at("/data/0/b64_json").asText())).isEqualTo(a);
      assertThat(x.payload(skeleton.at("/data/1/b64_json").asText())).isEqualTo(b);
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
      assertThat(x.payload(Json.MAPPER.readTree(x.skeleton()).at("/data/0/b64_json").asText())).isEqualTo(a);
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
    ImagePayloadExtractor x = new ImagePayloadExtractor();
    byte[] body = "{\"data\":[{\"b64_json\":\"AAA*AAA\"}]}".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> x.feed(body, 0, body.length)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not base64");
  }

  @Test
  void aBodyCutInsideAnImageIsNoticed() {
    ImagePayloadExtractor x = new ImagePayloadExtractor();
    byte[] body = "{\"data\":[{\"b64_json\":\"AAAA".getBytes(StandardCharsets.US_ASCII);
    x.feed(body, 0, body.length);
    assertThat(x.endedInsidePayload()).isTrue();
  }
}
