package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerBasicsTest {
  static final String SMALL = "{\"model\":\"dall-e-2\",\"prompt\":\"basics\",\"size\":\"256x256\",\"response_format\":\"b64_json\"}";

  @Test
  void startsOnLoopbackOnAFreePort() {
    try (LocalBackend a = LocalBackend.start(); LocalBackend b = LocalBackend.start()) {
      assertThat(a.port()).isPositive().isNotEqualTo(b.port());
      assertThat(a.baseUrl()).isEqualTo("http://127.0.0.1:" + a.port() + "/v1");
      assertThat(a.toString()).contains(a.baseUrl());
    }
  }

  @Test
  void withAKeyEveryApiCallNeedsItAsABearerToken() {
    try (LocalBackend backend = LocalBackend.builder().apiKey("sk-test-123").start()) {
      String url = backend.baseUrl() + "/images/generations";
      Http.Answer missing = Http.post(url, SMALL);
      Http.Answer wrong = Http.post(url, SMALL, "authorization", "Bearer sk-wrong");
      Http.Answer right = Http.post(url, SMALL, "authorization", "Bearer sk-test-123");
      Http.Answer models = Http.get(backend.baseUrl() + "/models");

      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.error().get("code").asText()).isEqualTo("invalid_api_key");
      assertThat(missing.error().get("message").asText()).contains("didn't provide an API key");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.error().get("code").asText()).isEqualTo("invalid_api_key");
      assertThat(wrong.text()).doesNotContain("sk-test-123").doesNotContain("sk-wrong");
      assertThat(right.status()).isEqualTo(200);
      assertThat(models.status()).isEqualTo(401);
      assertThat(backend.generationCount()).isEqualTo(1);
    }
  }

  @Test
  void withoutAKeyAnyOrNoAuthorizationIsFine() {
    try (LocalBackend backend = LocalBackend.start()) {
      String url = backend.baseUrl() + "/images/generations";
      assertThat(Http.post(url, SMALL).status()).isEqualTo(200);
      assertThat(Http.post(url, SMALL, "authorization", "Bearer anything").status()).isEqualTo(200);
    }
  }

  @Test
  void unknownPathsAre404AndWrongMethods405InOpenAisShape() {
    try (LocalBackend backend = LocalBackend.start()) {
      Http.Answer unknown = Http.post(backend.baseUrl() + "/images/generate", SMALL);
      Http.Answer outside = Http.get("http://127.0.0.1:" + backend.port() + "/");
      Http.Answer wrongMethod = Http.get(backend.baseUrl() + "/images/generations");
      Http.Answer postModels = Http.post(backend.baseUrl() + "/models", "{}");

      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.error().get("message").asText()).isEqualTo("Invalid URL (POST /v1/images/generate)");
      assertThat(unknown.error().get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(outside.status()).isEqualTo(404);
      assertThat(wrongMethod.status()).isEqualTo(405);
      assertThat(wrongMethod.header("allow")).isEqualTo("POST");
      assertThat(wrongMethod.error().get("message").asText()).contains("GET /v1/images/generations");
      assertThat(postModels.status()).isEqualTo(405);
      assertThat(postModels.header("allow")).isEqualTo("GET");
    }
  }

  @Test
  void aBodyOverTheLimitIsA413WhetherDeclaredOrStreamed() {
    try (LocalBackend backend = LocalBackend.builder().maxBodySize(10_000).start()) {
      String url = backend.baseUrl() + "/images/generations";
      String big = "{\"prompt\":\"" + "x".repeat(20_000) + "\"}";
      Http.Answer declared = Http.post(url, big);
      Http.Answer chunked = Http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers
          .ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
      Http.Answer bigForm = new Http.Form().file("image", "a.png", "image/png", new byte[20_000])
          .field("prompt", "p").post(backend.baseUrl() + "/images/edits");

      assertThat(declared.status()).isEqualTo(413);
      assertThat(declared.error().get("code").asText()).isEqualTo("request_too_large");
      assertThat(declared.error().get("message").asText()).contains("10000 bytes");
      assertThat(chunked.status()).isEqualTo(413);
      assertThat(bigForm.status()).isEqualTo(413);
      assertThat(Http.post(url, SMALL).status()).isEqualTo(200); // still serving
      assertThat(backend.generationCount()).isEqualTo(1);
    }
  }

  @Test
  void urlsExpireAfterTheConfiguredTime() throws Exception {
    try (LocalBackend backend = LocalBackend.builder().urlExpiry(Duration.ofMillis(400)).start()) {
      String file = Http.post(backend.baseUrl() + "/images/generations",
          "{\"model\":\"dall-e-2\",\"prompt\":\"fleeting\",\"size\":\"256x256\"}").json().get("data").get(0).get("url").asText();
      Http.Answer fresh = Http.get(file);
      Http.Answer head = Http.send(HttpRequest.newBuilder(URI.create(file)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      TimeUnit.MILLISECONDS.sleep(600);
      Http.Answer stale = Http.get(file);

      assertThat(fresh.status()).isEqualTo(200);
      assertThat(Http.read(fresh.body()).getWidth()).isEqualTo(256);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo(String.valueOf(fresh.body().length));
      assertThat(stale.status()).isEqualTo(404);
      assertThat(stale.error().get("message").asText()).contains("expired");
      assertThat(Http.get(backend.baseUrl() + "/files/img-nothing.png").status()).isEqualTo(404);
    }
  }

  @Test
  void twoHundredSimultaneousRequestsAreAllAnswered() throws Exception {
    try (LocalBackend backend = LocalBackend.start()) {
      String url = backend.baseUrl() + "/images/generations";
      List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String body = "{\"prompt\":\"crowd " + (i % 8) + "\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
        all.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(3, java.util.concurrent.TimeUnit.MINUTES);

      assertThat(all).allSatisfy(f -> {
        assertThat(f.join().statusCode()).isEqualTo(200);
        assertThat(f.join().body().length).isGreaterThan(1_000_000);
      });
      assertThat(backend.generationCount()).isEqualTo(200);
    }
  }

  @Test
  void aBorrowedVertxKeepsRunningAfterClose() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LocalBackend backend = LocalBackend.builder().vertx(vertx).start();
      assertThat(Http.post(backend.baseUrl() + "/images/generations", SMALL).status()).isEqualTo(200);
      backend.close();

      assertThat(vertx.executeBlocking(() -> 42).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
          .isEqualTo(42);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theBuilderChecksItsArguments() {
    assertThatThrownBy(() -> LocalBackend.builder().port(70000)).hasMessageContaining("port");
    assertThatThrownBy(() -> LocalBackend.builder().latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("latency");
    assertThatThrownBy(() -> LocalBackend.builder().faultFirst(-1, Fault.RATE_LIMIT)).hasMessageContaining("times");
    assertThatThrownBy(() -> LocalBackend.builder().urlExpiry(Duration.ZERO)).hasMessageContaining("urlExpiry");
    assertThat(Fault.fromHeaderName("SERVICE_UNAVAILABLE")).contains(Fault.SERVICE_UNAVAILABLE);
    assertThat(Fault.fromHeaderName("503")).contains(Fault.SERVICE_UNAVAILABLE);
    assertThat(Fault.fromHeaderName("teapot")).isEmpty();
  }
}
