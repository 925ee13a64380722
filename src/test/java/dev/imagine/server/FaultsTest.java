package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every fault as a plain HTTP client sees it. */
class FaultsTest extends SharedBackend {
  static final String SMALL = "{\"model\":\"dall-e-2\",\"prompt\":\"fault\",\"size\":\"256x256\",\"response_format\":\"b64_json\"}";

  @ParameterizedTest
  @CsvSource({
      "429, 429, requests, rate_limit_exceeded",
      "rate-limit, 429, requests, rate_limit_exceeded",
      "insufficient-quota, 429, insufficient_quota, insufficient_quota",
      "500, 500, server_error, ",
      "502, 502, server_error, bad_gateway",
      "503, 503, server_error, service_unavailable",
      "low-balance, 403, chatanywhere_error, 403 FORBIDDEN",
      "403, 403, chatanywhere_error, 403 FORBIDDEN"})
  void jsonRefusalsHaveTheStatusTypeAndCode(String fault, int status, String type, String code) {
    Http.Answer a = Http.post(url, SMALL, "x-imagine-fault", fault);

    assertThat(a.status()).isEqualTo(status);
    assertThat(a.error().get("type").asText()).isEqualTo(type);
    if (code == null) {
      assertThat(a.error().get("code").isNull()).isTrue();
    } else {
      assertThat(a.error().get("code").asText()).isEqualTo(code);
    }
    assertThat(a.header("x-request-id")).startsWith("req_");
  }

  @Test
  void rateLimitsSayWhenToComeBack() {
    Http.Answer a = Http.post(url, SMALL, "x-imagine-fault", "429;retry-after-ms=1500");

    assertThat(a.header("retry-after-ms")).isEqualTo("1500");
    assertThat(a.header("retry-after")).isEqualTo("2");
    assertThat(a.header("x-ratelimit-remaining-requests")).isEqualTo("0");
  }

  @Test
  void aRateLimitCanComeWithoutSayingWhenToComeBack() {
    Http.Answer a = Http.post(url, SMALL, "x-imagine-fault", "rate-limit-no-retry-after");

    assertThat(a.status()).isEqualTo(429);
    assertThat(a.error().get("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(a.header("retry-after")).isNull();
    assertThat(a.header("retry-after-ms")).isNull();
  }

  @Test
  void lowBalanceSpeaksChineseLikeChatAnywhere() {
    Http.Answer a = Http.post(url, SMALL, "x-imagine-fault", "low-balance");
    Http.Answer html = Http.post(url, SMALL, "x-imagine-fault", "low-balance-html");

    assertThat(a.error().get("message").asText()).contains("账户余额过低");
    assertThat(html.status()).isEqualTo(403);
    assertThat(html.header("content-type")).isEqualTo("application/json");
    assertThat(html.error().get("message").asText()).startsWith("<!DOCTYPE html>").contains("账户余额过低");
  }

  @Test
  void aProxyCanAnswerWithNginxsHtmlPage() {
    Http.Answer a = Http.post(url, SMALL, "x-imagine-fault", "html-502");

    assertThat(a.status()).isEqualTo(502);
    assertThat(a.header("content-type")).startsWith("text/html");
    assertThat(a.text()).contains("<title>502 Bad Gateway</title>", "nginx");
  }

  @Test
  void refusalsAreNotCountedAsGenerations() {
    LocalBackend own = LocalBackend.start();
    try {
      Http.post(own.baseUrl() + "/images/generations", SMALL, "x-imagine-fault", "503");
      assertThat(own.generationCount()).isZero();
      assertThat(own.requestCount()).isEqualTo(1);
    } finally {
      own.close();
    }
  }

  @Test
  void aDroppedConnectionIsAnIoErrorYetTheImageWasMadeAndCounted() {
    LocalBackend own = LocalBackend.start();
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(own.baseUrl() + "/images/generations"))
          .POST(HttpRequest.BodyPublishers.ofString(SMALL));
      assertThatThrownBy(() -> Http.sendOrThrow(req, "x-imagine-fault", "drop")).isInstanceOf(IOException.class);
      assertThat(own.generationCount()).isEqualTo(1);
    } finally {
      own.close();
    }
  }

  @Test
  void aConnectionCutMidBodyDeliversTheHeadersThenFails() {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(SMALL));

    assertThatThrownBy(() -> Http.sendOrThrow(req, "x-imagine-fault", "drop-mid-body"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aSlowBodyTricklesInButArrivesWhole() {
    long t0 = System.nanoTime();
    Http.Answer a = Http.post(url, SMALL, "x-imagine-fault", "slow-body;rate=400000");
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(a.status()).isEqualTo(200);
    int length = a.body().length;
    assertThat(ms).isGreaterThanOrEqualTo(1000L * length / 400_000 - 150);
    assertThat(Http.decode(a.json().get("data").get(0).get("b64_json").asText()).getWidth()).isEqualTo(256);
  }

  @Test
  void aFaultWithTimesFailsThatOftenPerKeyThenSucceeds() {
    LocalBackend own = LocalBackend.start();
    try {
      String u = own.baseUrl() + "/images/generations";
      Http.Answer invalid = Http.post(u, "{\"n\":1}", "x-imagine-fault", "503;times=1", "x-imagine-fault-key", "test-a");
      Http.Answer first = Http.post(u, SMALL, "x-imagine-fault", "503;times=1", "x-imagine-fault-key", "test-a");
      Http.Answer second = Http.post(u, SMALL, "x-imagine-fault", "503;times=1", "x-imagine-fault-key", "test-a");
      Http.Answer otherKey = Http.post(u, SMALL, "x-imagine-fault", "503;times=1", "x-imagine-fault-key", "test-b");

      assertThat(invalid.status()).isEqualTo(400); // does not use up the one failure
      assertThat(first.status()).isEqualTo(503);
      assertThat(second.status()).isEqualTo(200);
      assertThat(otherKey.status()).isEqualTo(503);
      assertThat(own.generationCount()).isEqualTo(1);
    } finally {
      own.close();
    }
  }

  @Test
  void theBuilderCanFailTheFirstRequestsOnly() {
    try (LocalBackend own = LocalBackend.builder().faultFirst(2, Fault.RATE_LIMIT).start()) {
      String u = own.baseUrl() + "/images/generations";
      assertThat(Http.post(u, SMALL).status()).isEqualTo(429);
      assertThat(Http.post(u, "{\"prompt\":\"p\",\"n\":0}").status()).isEqualTo(400); // invalid ones use none up
      assertThat(Http.post(u, SMALL).status()).isEqualTo(429);
      assertThat(Http.post(u, SMALL).status()).isEqualTo(200);
      assertThat(own.generationCount()).isEqualTo(1);
    }
  }

  @Test
  void theBuilderCanFailEveryRequest() {
    try (LocalBackend own = LocalBackend.builder().fault(Fault.HTML_BAD_GATEWAY).start()) {
      String u = own.baseUrl() + "/images/generations";
      assertThat(Http.post(u, SMALL).status()).isEqualTo(502);
      assertThat(Http.post(u, SMALL).status()).isEqualTo(502);
    }
  }

  @Test
  void latencyPerRequestAndPerServer() {
    long t0 = System.nanoTime();
    Http.post(url, SMALL, "x-imagine-latency-ms", "300");
    long headerMs = (System.nanoTime() - t0) / 1_000_000;
    long ranged;
    try (LocalBackend slow = LocalBackend.builder().latency(Duration.ofMillis(200), Duration.ofMillis(250)).start()) {
      long t1 = System.nanoTime();
      Http.post(slow.baseUrl() + "/images/generations", SMALL);
      ranged = (System.nanoTime() - t1) / 1_000_000;
    }

    assertThat(headerMs).isGreaterThanOrEqualTo(300);
    assertThat(ranged).isGreaterThanOrEqualTo(200);
  }

  @Test
  void aRequestCountsWhenWorkStartsSoAClientThatTimesOutAndRetriesShowsTwice() throws Exception {
    try (LocalBackend slow = LocalBackend.builder().latency(Duration.ofSeconds(3)).start()) {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(slow.baseUrl() + "/images/generations"))
          .POST(HttpRequest.BodyPublishers.ofString(SMALL));
      for (int attempt = 0; attempt < 2; attempt++) {
        HttpRequest r = req.copy().timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> Http.CLIENT.send(r, java.net.http.HttpResponse.BodyHandlers.ofByteArray()))
            .isInstanceOf(HttpTimeoutException.class);
      }
      assertThat(slow.generationCount()).isEqualTo(2);
    }
  }

  @Test
  void faultsApplyToImageDownloadsToo() {
    String file = Http.post(url, "{\"model\":\"dall-e-2\",\"prompt\":\"dl\",\"size\":\"256x256\"}").json()
        .get("data").get(0).get("url").asText();

    assertThat(Http.get(file, "x-imagine-fault", "500").status()).isEqualTo(500);
    assertThat(Http.get(file).status()).isEqualTo(200);
  }

  @Test
  void anUnknownFaultOrLatencyHeaderIsA400ThatListsTheChoices() {
    Http.Answer fault = Http.post(url, SMALL, "x-imagine-fault", "meteor");
    Http.Answer setting = Http.post(url, SMALL, "x-imagine-fault", "503;tims=1");
    Http.Answer latency = Http.post(url, SMALL, "x-imagine-latency-ms", "soon");

    assertThat(fault.status()).isEqualTo(400);
    assertThat(fault.error().get("message").asText()).contains("meteor", "rate-limit", "drop-mid-body", "slow-body");
    assertThat(setting.status()).isEqualTo(400);
    assertThat(setting.error().get("message").asText()).contains("tims");
    assertThat(latency.status()).isEqualTo(400);
  }
}
