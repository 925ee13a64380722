package dev.imagine.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.BadRequestException;
import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagineException;
import dev.imagine.RateLimitException;
import dev.imagine.internal.wire.ImagePayloadExtractor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response decoder on bytes alone: what each kind of answer becomes. */
class ResponseDecoderTest {
  static final String URL = "http://127.0.0.1:1/v1/images/generations";
  static final ImageRequest REQUEST = ImageRequest.builder().prompt("a fox").build();

  static ImagePayloadExtractor body(String text) {
    ImagePayloadExtractor e = new ImagePayloadExtractor();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    e.feed(bytes, 0, bytes.length);
    return e;
  }

  @Test
  void imagesJsonGivesBytesAndUrlsInTheServersOrder() {
    String b64 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
    ResponseDecoder.ImagesAnswer a = ResponseDecoder.images(200, "req_1", URL, body("{\"created\":1,\"data\":["
        + "{\"b64_json\":\"" + b64 + "\"},{\"url\":\"https://cdn.example/x.png\",\"revised_prompt\":\"a red fox\"}],"
        + "\"usage\":{\"input_tokens\":10,\"output_tokens\":1000,\"total_tokens\":1010}}"));
    assertThat(a.items()).hasSize(2);
    assertThat(new GeneratedImage(((dev.imagine.internal.wire.PayloadOutput.InMemory) a.items().get(0).bytes()).pieces(), 0,
        "a fox", null, null).bytes()).containsExactly(1, 2, 3);
    assertThat(a.items().get(1).url()).isEqualTo("https://cdn.example/x.png");
    assertThat(a.items().get(1).revisedPrompt()).isEqualTo("a red fox");
    assertThat(a.urls()).containsExactly("https://cdn.example/x.png");
    ImageResult r = ResponseDecoder.result(REQUEST, a,
        List.of(new GeneratedImage(new byte[] {1, 2, 3}, 0, "a fox", null, null)), "req_1", Duration.ofSeconds(1), dev.imagine.PriceTable.standard(), dev.imagine.RateLimits.none());
    assertThat(r.usage().outputTokens()).isEqualTo(1000);
    assertThat(r.requestId()).isEqualTo("req_1");
  }

  @Test
  void anErrorObjectWithStatus200IsStillAnError() {
    assertThatThrownBy(() -> ResponseDecoder.images(200, "req_2", URL,
        body("{\"error\":{\"message\":\"bad size\",\"param\":\"size\"}}")))
        .isInstanceOf(dev.imagine.ApiException.class).hasMessageContaining("bad size");
  }

  @Test
  void aBodyThatIsNotImagesJsonSaysSoWithAnExcerpt() {
    assertThatThrownBy(() -> ResponseDecoder.images(200, "req_3", URL, body("<html><title>Login</title></html>")))
        .isInstanceOf(ImagineException.class).hasMessageContaining("not with images JSON")
        .hasMessageContaining("Login").hasMessageContaining("req_3");
  }

  @Test
  void errorAnswersSayWhetherResendingCanHelp() {
    ResponseDecoder.ErrorAnswer quota = ResponseDecoder.error(429, "Too Many Requests",
        "{\"error\":{\"message\":\"You exceeded your quota\",\"code\":\"insufficient_quota\"}}".getBytes(StandardCharsets.UTF_8),
        "req_4", URL, Duration.ofSeconds(2));
    assertThat(quota.exception()).isInstanceOf(RateLimitException.class);
    assertThat(((RateLimitException) quota.exception()).retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(quota.permanent()).isTrue();
    ResponseDecoder.ErrorAnswer busy = ResponseDecoder.error(429, null,
        "{\"error\":{\"message\":\"slow down\"}}".getBytes(StandardCharsets.UTF_8), null, URL, null);
    assertThat(busy.permanent()).isFalse();
    ResponseDecoder.ErrorAnswer bad = ResponseDecoder.error(400, null, new byte[0], null, URL, null);
    assertThat(bad.exception()).isInstanceOf(BadRequestException.class).hasMessageContaining("(empty body)");
  }

  @Test
  void aStreamGivesPartialsThenTheCompletedImage() {
    String b64 = Base64.getEncoder().encodeToString(new byte[] {9, 9});
    ResponseDecoder.EventStream events = new ResponseDecoder.EventStream(REQUEST, URL);
    GeneratedImage partial = events.onEvent(body("{\"type\":\"image_generation.partial_image\",\"partial_image_index\":1,"
        + "\"b64_json\":\"" + b64 + "\"}"));
    assertThat(partial.index()).isEqualTo(1);
    assertThat(events.onEvent(body("[DONE]"))).isNull();
    assertThat(events.onEvent(body("{\"type\":\"image_generation.completed\",\"b64_json\":\"" + b64 + "\",\"created_at\":5}"))).isNull();
    ImageResult r = events.finish("req_5", Duration.ZERO, dev.imagine.PriceTable.standard(), dev.imagine.RateLimits.none());
    assertThat(r.images()).hasSize(1);
    assertThat(r.image().bytes()).containsExactly(9, 9);
  }

  @Test
  void aStreamWithoutACompletedImageOrWithAnErrorFails() {
    assertThatThrownBy(() -> new ResponseDecoder.EventStream(REQUEST, URL).finish("req_6", Duration.ZERO, dev.imagine.PriceTable.standard(), dev.imagine.RateLimits.none()))
        .hasMessageContaining("without a completed image").hasMessageContaining("req_6");
    ResponseDecoder.EventStream failing = new ResponseDecoder.EventStream(REQUEST, URL);
    failing.onEvent(body("{\"type\":\"error\",\"error\":{\"message\":\"moderation\"}}"));
    assertThatThrownBy(() -> failing.finish(null, Duration.ZERO, dev.imagine.PriceTable.standard(), dev.imagine.RateLimits.none())).hasMessageContaining("moderation");
  }
}
