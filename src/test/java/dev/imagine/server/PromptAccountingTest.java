package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalBackend#timesGenerated(String)} and {@link LocalBackend#timesDelivered(String)}: per
 * prompt, what the server made and what it finished sending, whatever the client did with it.
 */
class PromptAccountingTest extends SharedBackend {
  static String body(String prompt) {
    return "{\"model\":\"dall-e-2\",\"prompt\":\"" + prompt + "\",\"size\":\"256x256\",\"response_format\":\"b64_json\"}";
  }

  static HttpRequest.Builder post(String prompt) {
    return HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body(prompt)));
  }

  /** The delivery is counted once the last byte went to the socket, a moment after a client may have it. */
  static long deliveredSoon(String prompt, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (backend.timesDelivered(prompt) < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return backend.timesDelivered(prompt);
  }

  @Test
  void anAnswerSentWholeIsGeneratedAndDeliveredOncePerRequest() throws Exception {
    assertThat(Http.post(url, body("accounting whole")).status()).isEqualTo(200);
    assertThat(Http.post(url, body("accounting whole")).status()).isEqualTo(200);

    assertThat(backend.timesGenerated("accounting whole")).isEqualTo(2);
    assertThat(deliveredSoon("accounting whole", 2)).isEqualTo(2);
    assertThat(backend.timesGenerated("accounting never sent")).isZero();
    assertThat(backend.timesDelivered("accounting never sent")).isZero();
  }

  @Test
  void aRefusalIsNeitherGeneratedNorDelivered() {
    assertThat(Http.post(url, body("accounting refused"), "x-imagine-fault", "503").status()).isEqualTo(503);

    assertThat(backend.timesGenerated("accounting refused")).isZero();
    assertThat(backend.timesDelivered("accounting refused")).isZero();
  }

  @Test
  void aDroppedOrCutAnswerIsGeneratedButNotDelivered() throws Exception {
    assertThatThrownBy(() -> Http.sendOrThrow(post("accounting dropped"), "x-imagine-fault", "drop"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Http.sendOrThrow(post("accounting cut"), "x-imagine-fault", "drop-mid-body"))
        .isInstanceOf(IOException.class);
    // a whole answer after them: once it shows as delivered, the cut ones had their chance to
    assertThat(Http.post(url, body("accounting after the cut")).status()).isEqualTo(200);
    deliveredSoon("accounting after the cut", 1);

    assertThat(backend.timesGenerated("accounting dropped")).isEqualTo(1);
    assertThat(backend.timesGenerated("accounting cut")).isEqualTo(1);
    assertThat(backend.timesDelivered("accounting dropped")).isZero();
    assertThat(backend.timesDelivered("accounting cut")).isZero();
  }

  @Test
  void aSlowAnswerIsDeliveredWhenItsLastByteIsSent() throws Exception {
    Http.Answer a = Http.post(url, body("accounting slow"), "x-imagine-fault", "slow-body;rate=400000");

    assertThat(a.status()).isEqualTo(200);
    assertThat(deliveredSoon("accounting slow", 1)).isEqualTo(1);
    assertThat(backend.timesGenerated("accounting slow")).isEqualTo(1);
  }
}
