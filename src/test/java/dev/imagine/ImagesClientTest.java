package dev.imagine;

import static dev.imagine.ScriptedServer.drop;
import static dev.imagine.ScriptedServer.imagesJson;
import static dev.imagine.ScriptedServer.json;
import static dev.imagine.ScriptedServer.png;
import static dev.imagine.ScriptedServer.raw;
import static dev.imagine.ScriptedServer.stall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.internal.wire.Json;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a real loopback HTTP server: the wire, the results, errors and retries. */
class ImagesClientTest {
  static final String KEY = "sk-test-fake-key-0042";
  final ScriptedServer server = new ScriptedServer();
  final ImagesClient client = server.client();

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  JsonNode sentBody(int i) throws Exception {
    return Json.MAPPER.readTree(server.received.get(i).bodyText());
  }

  @Test
  void sendsTheSeedsRequiredFieldsAndKeyEvenWithDefaults() throws Exception {
    ImageResult r = client.images().prompt("A colorful sunset over the mountains").generate();

    JsonNode body = sentBody(0);
    assertThat(body.get("prompt").asText()).isEqualTo("A colorful sunset over the mountains");
    assertThat(body.get("n").asInt()).isEqualTo(1);
    assertThat(body.get("model").asText()).as("no model list here: the fallback").isEqualTo("gpt-image-2");
    assertThat(body.get("size").asText()).isEqualTo("1024x1024");
    assertThat(body.size()).isEqualTo(4);
    assertThat(r.model()).isEqualTo("gpt-image-2");
    assertThat(server.modelLookups).hasSize(1);
    assertThat(server.modelLookups.get(0).headers().get("Authorization")).isEqualTo("Bearer " + KEY);
    ScriptedServer.Received req = server.received.get(0);
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.path()).isEqualTo("/v1/images/generations");
    assertThat(req.headers().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(req.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(req.headers().get("User-Agent")).isEqualTo("imagine/" + dev.imagine.internal.Version.VERSION);
    assertThat(r.images()).hasSize(1);
    assertThat(r.image().mimeType()).isEqualTo("image/png");
    assertThat(r.image().width()).isEqualTo(8);
    assertThat(r.usage().totalTokens()).isEqualTo(30);
    assertThat(r.requestId()).isEqualTo("req_test123");
    assertThat(r.quality()).isEqualTo("low");
  }

  @Test
  void sendsEveryFieldSetAndTheExtras() throws Exception {
    client.images().prompt("p").model("gpt-image-1.5").n(3).size(1536, 1024).quality("high")
        .outputFormat("jpeg").outputCompression(80).background("opaque").moderation("low").user("u-1")
        .extraBody("reseller_option", 7).header("X-Trace", "abc").generate();
    client.images().prompt("p").model("dall-e-3").style("vivid").responseFormat("b64_json").quality("hd").generate();

    JsonNode gpt = sentBody(0);
    assertThat(gpt.get("model").asText()).isEqualTo("gpt-image-1.5");
    assertThat(gpt.get("n").asInt()).isEqualTo(3);
    assertThat(gpt.get("size").asText()).isEqualTo("1536x1024");
    assertThat(gpt.get("quality").asText()).isEqualTo("high");
    assertThat(gpt.get("output_format").asText()).isEqualTo("jpeg");
    assertThat(gpt.get("output_compression").asInt()).isEqualTo(80);
    assertThat(gpt.get("background").asText()).isEqualTo("opaque");
    assertThat(gpt.get("moderation").asText()).isEqualTo("low");
    assertThat(gpt.get("user").asText()).isEqualTo("u-1");
    assertThat(gpt.get("reseller_option").asInt()).isEqualTo(7);
    assertThat(server.received.get(0).headers().get("X-Trace")).isEqualTo("abc");
    JsonNode dalle = sentBody(1);
    assertThat(dalle.get("style").asText()).isEqualTo("vivid");
    assertThat(dalle.get("response_format").asText()).isEqualTo("b64_json");
    assertThat(dalle.get("quality").asText()).isEqualTo("hd");
  }

  @Test
  void unknownModelsAndSizesPassThrough() throws Exception {
    client.images().prompt("p").model("gpt-image-2-ca").size("1000x1000").style("whatever").generate();
    assertThat(sentBody(0).get("model").asText()).isEqualTo("gpt-image-2-ca");
    assertThat(sentBody(0).get("size").asText()).isEqualTo("1000x1000");
  }

  @Test
  void brokenRequestsFailFastAndSendNothing() {
    List<ImageGeneration> broken = List.of(
        client.images(),
        client.images().prompt(""),
        client.images().prompt("x".repeat(1001)).model("dall-e-2").size("1024x1024"),
        client.images().prompt("p").n(0),
        client.images().prompt("p").n(11),
        client.images().prompt("p").model("dall-e-3").n(2),
        client.images().prompt("p").size("big"),
        client.images().prompt("p").model("gpt-image-2").size("1000x1000"),
        client.images().prompt("p").style("vivid"),
        client.images().prompt("p").outputFormat("jpeg").outputCompression(101));
    for (ImageGeneration g : broken) {
      assertThatThrownBy(g::generate).as(g.toString()).isInstanceOf(InvalidRequestException.class);
    }
    assertThatThrownBy(() -> client.images().prompt("p").model("dall-e-3").n(2).generate())
        .hasMessageContaining("n is 2").hasMessageContaining("dall-e-3");
    assertThatThrownBy(() -> client.images().prompt("p").model("gpt-image-2").size("1000x1000").generate())
        .hasMessageContaining("1000x1000").hasMessageContaining("multiples of 16");
    assertThatThrownBy(() -> client.images().prompt("x".repeat(1001)).model("dall-e-2").size("512x512").generate())
        .hasMessageContaining("1,001").hasMessageContaining("1,000");
    assertThatThrownBy(() -> client.images().prompt("p").style("vivid").generate())
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("style"));
    assertThat(server.received).isEmpty();
  }

  @Test
  void badConfigurationIsRefusedWithoutEchoingTheKey() {
    assertThatThrownBy(() -> ImagesClient.builder().apiKey("sk-abc\ndef"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("sk-abc");
    assertThatThrownBy(() -> ImagesClient.builder().baseUrl("ftp://example.com/v1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> ImagesClient.builder().baseUrl("api.openai.com/v1"))
        .isInstanceOf(IllegalArgumentException.class);
    // a password in the URL would show in every error, /config and log that names the server
    assertThatThrownBy(() -> ImagesClient.builder().baseUrl("https://me:hunter2@api.example.com/v1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user name or password", "https://***@api.example.com/v1")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ImagesClient.builder().baseUrl("https://me:hunter2@api.example.com/v1?x=1 2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
  }

  @Test
  void aMissingKeyForARemoteServerSaysWhatToSetAndSendsNothing() {
    try (ImagesClient noKey = ImagesClient.builder().environment(java.util.Map.of())
        .baseUrl("https://api.chatanywhere.tech/v1").build()) {
      assertThatThrownBy(() -> noKey.images().prompt("p").generate())
          .isInstanceOf(NotSentException.class).isNotInstanceOf(ApiException.class)
          .hasMessageContaining("OPENAI_API_KEY").hasMessageContaining("Nothing was sent");
    }
  }

  @Test
  void configurationComesFromTheEnvironmentWhenNotSet() {
    try (ImagesClient c = ImagesClient.builder()
        .environment(java.util.Map.of("OPENAI_BASE_URL", server.baseUrl() + "/", "OPENAI_API_KEY", "sk-env-key"))
        .build()) {
      assertThat(c.baseUrl()).isEqualTo(server.baseUrl());
      c.images().prompt("p").generate();
      assertThat(server.received.get(0).headers().get("Authorization")).isEqualTo("Bearer sk-env-key");
      assertThat(c.toString()).contains("apiKey=set").doesNotContain("sk-env-key");
    }
    try (ImagesClient c = ImagesClient.builder().environment(java.util.Map.of()).build()) {
      assertThat(c.baseUrl()).isEqualTo("https://api.chatanywhere.tech/v1");
      assertThat(c.hasApiKey()).isFalse();
    }
  }

  @Test
  void largeBase64ImagesDecodeExactly() {
    byte[] big = png(700, 500);
    byte[] other = png(30, 20);
    server.then(json(200, imagesJson(big, other)));
    ImageResult r = client.images().prompt("p").n(2).generate();
    assertThat(r.images()).hasSize(2);
    assertThat(r.images().get(0).bytes()).isEqualTo(big);
    assertThat(r.images().get(1).bytes()).isEqualTo(other);
    assertThat(r.images().get(0).width()).isEqualTo(700);
    assertThat(r.images().get(0).height()).isEqualTo(500);
  }

  @Test
  void escapedSlashesAndLineBreaksInsideBase64AreUnderstood() {
    byte[] image = png(40, 40);
    String b64 = Base64.getMimeEncoder().encodeToString(image).replace("/", "\\/").replace("\r\n", "\\n");
    server.then(json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"" + b64 + "\",\"revised_prompt\":\"a fox\"}]}"));
    ImageResult r = client.images().prompt("p").generate();
    assertThat(r.image().bytes()).isEqualTo(image);
    assertThat(r.revisedPrompt()).isEqualTo("a fox");
  }

  @Test
  void urlResultsAreDownloadedAtOnce() {
    byte[] image = png(16, 16);
    server.then(json(200, "{\"created\":1,\"data\":[{\"url\":\"" + server.baseUrl() + "/files/a.png\"}]}"))
        .then((req, body) -> req.response().putHeader("content-type", "image/png").end(io.vertx.core.buffer.Buffer.buffer(image)));
    ImageResult r = client.images().prompt("p").model("dall-e-2").size("256x256").generate();
    assertThat(r.image().bytes()).isEqualTo(image);
    assertThat(r.image().url()).endsWith("/files/a.png");
    assertThat(server.received.get(1).method()).isEqualTo("GET");
  }

  @Test
  void aFailedDownloadNamesTheUrlsSoThePaidImageIsNotLost() {
    server.then(json(200, "{\"created\":1,\"data\":[{\"url\":\"" + server.baseUrl() + "/files/gone.png\"}]}"))
        .always(raw(404, "text/plain", "gone"));
    assertThatThrownBy(() -> client.images().prompt("p").model("dall-e-2").size("256x256").generate())
        .isInstanceOf(ImagineException.class)
        .hasMessageContaining("downloading them failed")
        .hasMessageContaining("/files/gone.png");
  }

  @Test
  void errorStatusesMapToExceptionsWithTheServersWords() {
    String error = "{\"error\":{\"message\":\"Invalid size\",\"type\":\"invalid_request_error\",\"param\":\"size\",\"code\":\"bad_size\"}}";
    record Case(int status, Class<? extends ApiException> type) {}
    List<Case> cases = List.of(new Case(400, BadRequestException.class), new Case(401, AuthenticationException.class),
        new Case(403, PermissionDeniedException.class), new Case(404, BadRequestException.class),
        new Case(422, BadRequestException.class), new Case(429, RateLimitException.class),
        new Case(500, ServerException.class), new Case(503, ServerException.class));
    try (ImagesClient noRetry = server.client(ImagesClient.builder().maxRetries(0))) {
      for (Case c : cases) {
        server.then(json(c.status(), error));
        assertThatThrownBy(() -> noRetry.images().prompt("p").generate())
            .as("status %d", c.status())
            .isInstanceOfSatisfying(c.type(), e -> {
              assertThat(e.status()).isEqualTo(c.status());
              assertThat(e.serverMessage()).isEqualTo("Invalid size");
              assertThat(e.code()).isEqualTo("bad_size");
              assertThat(e.param()).isEqualTo("size");
              assertThat(e.type()).isEqualTo("invalid_request_error");
              assertThat(e.requestId()).isEqualTo("req_test123");
              assertThat(e.getMessage()).contains("Invalid size", "req_test123", String.valueOf(c.status()));
            });
      }
    }
  }

  @Test
  void htmlEmptyAndTruncatedErrorBodiesStillSayWhatHappened() {
    try (ImagesClient noRetry = server.client(ImagesClient.builder().maxRetries(0))) {
      server.then(raw(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"));
      assertThatThrownBy(() -> noRetry.images().prompt("p").generate())
          .isInstanceOf(ServerException.class).hasMessageContaining("502 Bad Gateway").hasMessageNotContaining("<title>");
      server.then(raw(500, "application/json", ""));
      assertThatThrownBy(() -> noRetry.images().prompt("p").generate())
          .isInstanceOf(ServerException.class).hasMessageContaining("empty body");
      server.then(raw(400, "application/json", "{\"error\":{\"message\":\"Your prompt was trunc"));
      assertThatThrownBy(() -> noRetry.images().prompt("p").generate())
          .isInstanceOf(BadRequestException.class).hasMessageContaining("Your prompt was trunc");
      server.then(raw(200, "text/html", "<html><title>Login required</title></html>"));
      assertThatThrownBy(() -> noRetry.images().prompt("p").generate())
          .isInstanceOf(ImagineException.class).hasMessageContaining("not with images JSON").hasMessageContaining("Login required");
    }
  }

  @Test
  void chatAnywhereLowBalanceIsNotRetriedAndSaysToTopUp() {
    server.always(json(403, "{\"error\":{\"message\":\"账户余额过低，请充值后再试\",\"type\":\"chatanywhere_error\",\"param\":null,\"code\":\"403 FORBIDDEN\"}}"));
    assertThatThrownBy(() -> client.images().prompt("p").generate())
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("账户余额过低").hasMessageContaining("balance");
    assertThat(server.received).hasSize(1);
  }

  @Test
  void insufficientQuotaIsNotRetried() {
    server.always(json(429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));
    assertThatThrownBy(() -> client.images().prompt("p").generate())
        .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.isQuotaExhausted()).isTrue());
    assertThat(server.received).hasSize(1);
  }

  @Test
  void transientFailuresAreRetriedHonouringRetryAfter() {
    // Both waits are longer than the client's own backoff (at most 0.5 s, then 1 s), so only the
    // headers explain them. Lower bounds only: a slow machine makes the gaps longer, never shorter.
    server.then((req, b) -> req.response().setStatusCode(429).putHeader("retry-after-ms", "1200")
            .end("{\"error\":{\"message\":\"slow down\"}}"))
        .then((req, b) -> req.response().setStatusCode(503).putHeader("retry-after", "2")
            .end("{\"error\":{\"message\":\"overloaded\"}}"));
    ImageResult r = client.images().prompt("p").generate();
    assertThat(r.images()).hasSize(1);
    assertThat(server.received).hasSize(3);
    assertThat(millisBetween(0, 1)).as("retry-after-ms: 1200").isGreaterThanOrEqualTo(1200);
    assertThat(millisBetween(1, 2)).as("retry-after: 2 (seconds)").isGreaterThanOrEqualTo(2000);
  }

  /** The time between the server receiving request {@code from} and request {@code to}. */
  private long millisBetween(int from, int to) {
    return (server.received.get(to).atNanos() - server.received.get(from).atNanos()) / 1_000_000;
  }

  @Test
  void retriesStopAtTheLimitAndXShouldRetryFalseIsObeyed() {
    server.always(json(500, "{\"error\":{\"message\":\"boom\"}}"));
    try (ImagesClient c = server.client(ImagesClient.builder().maxRetries(1))) {
      assertThatThrownBy(() -> c.images().prompt("p").generate()).isInstanceOf(ServerException.class);
    }
    assertThat(server.received).hasSize(2);
    server.received.clear();
    server.always((req, b) -> req.response().setStatusCode(503).putHeader("x-should-retry", "false").end());
    assertThatThrownBy(() -> client.images().prompt("p").generate()).isInstanceOf(ServerException.class);
    assertThat(server.received).hasSize(1);
  }

  @Test
  void aServerThatStallsAfterReceivingTheRequestIsAskedOnce() {
    server.always(stall());
    try (ImagesClient c = server.client(ImagesClient.builder().requestTimeout(Duration.ofMillis(300)))) {
      assertThatThrownBy(() -> c.images().prompt("p").generate())
          .isInstanceOf(RequestTimeoutException.class).hasMessageContaining("not sent again");
    }
    assertThat(server.received).hasSize(1);
  }

  @Test
  void aConnectionLostAfterSendingIsNotResentUnlessAllowed() {
    server.always(drop());
    // with a model set there is no GET /models first, so the request goes on a new connection: a close a few ms
    // after writing on a reused one is taken for a stale keep-alive connection and re-sent (StaleConnectionTest)
    assertThatThrownBy(() -> client.images().model(Model.GPT_IMAGE_2).prompt("p").generate())
        .isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.requestSent()).isTrue());
    assertThat(server.received).hasSize(1);
    server.received.clear();
    try (ImagesClient unsafe = server.client(ImagesClient.builder().retryUnsafe(true).maxRetries(1))) {
      assertThatThrownBy(() -> unsafe.images().model(Model.GPT_IMAGE_2).prompt("p").generate())
          .isInstanceOf(ConnectionException.class);
    }
    assertThat(server.received).hasSize(2);
  }

  @Test
  void aServerThatIsNotThereIsAConnectionErrorBeforeSending() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (ImagesClient c = ImagesClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").maxRetries(1).build()) {
      assertThatThrownBy(() -> c.images().prompt("p").generate())
          .isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.requestSent()).isFalse())
          .hasMessageContaining("Could not connect");
    }
  }

  @Test
  void interruptingGenerateCancelsTheRequest() throws Exception {
    server.always(stall());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        client.images().prompt("p").generate();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (server.received.isEmpty()) {
      assertThat(System.nanoTime()).as("the server received the request within 30 s").isLessThan(deadline);
      Thread.sleep(5);
    }
    t.interrupt();
    t.join(5000);
    assertThat(t.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
  }

  @Test
  void generateRefusesToBlockAnEventLoop() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    server.vertx.runOnContext(v -> {
      try {
        client.images().prompt("p").generate();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    long deadline = System.currentTimeMillis() + 5000;
    while (thrown.get() == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("generateAsync");
  }

  @Test
  void generateAsyncCompletesWithoutBlocking() throws Exception {
    // The server keeps each answer until the test releases it: both calls must return before.
    java.util.concurrent.BlockingQueue<Runnable> held = new java.util.concurrent.LinkedBlockingQueue<>();
    server.always((req, b) -> held.add(() -> json(200, imagesJson(png(8, 8))).answer(req, b)));
    io.vertx.core.Future<ImageResult> async = client.images().prompt("p").generateAsync();
    java.util.concurrent.CompletableFuture<ImageResult> stage = client.images().prompt("q").generateStage()
        .toCompletableFuture();
    List<Runnable> releases = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Runnable release = held.poll(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(release).as("request %d reached the server", i + 1).isNotNull();
      releases.add(release);
    }
    assertThat(async.isComplete()).as("returned while the server still holds the answer").isFalse();
    assertThat(stage).isNotDone();
    releases.forEach(Runnable::run);
    assertThat(async.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS).images())
        .hasSize(1);
    assertThat(stage.get(30, java.util.concurrent.TimeUnit.SECONDS).images()).hasSize(1);
  }

  @Test
  void streamedPartialImagesArriveBeforeTheFinalImage() throws Exception {
    byte[] partial = png(4, 4);
    byte[] done = png(12, 12);
    String b64p = Base64.getEncoder().encodeToString(partial);
    String b64d = Base64.getEncoder().encodeToString(done);
    server.then(raw(200, "text/event-stream",
        "event: image_generation.partial_image\ndata: {\"type\":\"image_generation.partial_image\",\"b64_json\":\"" + b64p + "\",\"partial_image_index\":0}\n\n"
            + "event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\",\"b64_json\":\"" + b64d
            + "\",\"size\":\"1024x1024\",\"created_at\":1700000000,\"usage\":{\"input_tokens\":1,\"output_tokens\":2,\"total_tokens\":3}}\n\n"
            + "data: [DONE]\n\n"));
    List<GeneratedImage> previews = new java.util.concurrent.CopyOnWriteArrayList<>();
    ImageResult r = client.images().prompt("p").stream(1).generate(previews::add);
    assertThat(sentBody(0).get("stream").asBoolean()).isTrue();
    assertThat(sentBody(0).get("partial_images").asInt()).isEqualTo(1);
    assertThat(previews).hasSize(1);
    assertThat(previews.get(0).bytes()).isEqualTo(partial);
    assertThat(r.image().bytes()).isEqualTo(done);
    assertThat(r.usage().totalTokens()).isEqualTo(3);
  }

  @Test
  void editsAreMultipartWithFileNamesAndTypes() {
    byte[] input = png(10, 10);
    client.images().edit(ImageInput.of("fox.png", input), ImageInput.of("hat.png", input))
        .mask(ImageInput.of("mask.png", input)).prompt("add a hat").generate();
    ScriptedServer.Received req = server.received.get(0);
    assertThat(req.path()).isEqualTo("/v1/images/edits");
    assertThat(req.headers().get("Content-Type")).startsWith("multipart/form-data");
    String body = req.body().toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(body).contains("name=\"image[]\"; filename=\"fox.png\"", "name=\"image[]\"; filename=\"hat.png\"",
        "name=\"mask\"; filename=\"mask.png\"", "Content-Type: image/png", "name=\"prompt\"", "add a hat");
  }

  @Test
  void secretsNeverShowInToStringsOrErrors() {
    server.always(json(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}"));
    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> client.images().prompt("p").generate());
    assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("OPENAI_API_KEY");
    assertThat(e.getMessage()).doesNotContain(KEY);
    assertThat(client.toString()).doesNotContain(KEY);
    ImageRequest withHeader = client.images().prompt("p").header("X-Api-Key", "secret-value").request();
    assertThat(withHeader.toString()).doesNotContain("secret-value");
    server.always(json(200, imagesJson(png(8, 8))));
    ImageResult r = client.images().prompt("p").generate();
    String b64 = Base64.getEncoder().encodeToString(r.image().bytes());
    assertThat(r.toString()).doesNotContain(b64.substring(0, 20));
    assertThat(r.image().toString()).doesNotContain(b64.substring(0, 20)).contains("image/png", "8x8");
  }

  @Test
  void requestsGoThroughAnHttpProxyWhenOneIsSet() {
    String proxy = server.baseUrl().replace("/v1", "");
    try (ImagesClient viaProxy = ImagesClient.builder().baseUrl("http://images.invalid/v1").apiKey(KEY)
        .proxy(proxy).build()) {
      viaProxy.images().prompt("p").generate();
    }
    assertThat(server.received).hasSize(1);
    assertThat(server.received.get(0).headers().get("Host")).isEqualTo("images.invalid");
    assertThat(server.received.get(0).path()).isEqualTo("/v1/images/generations");
  }

  @Test
  void proxyEnvironmentVariablesAreHonouredExceptForNoProxyAndLoopback() {
    java.util.Map<String, String> env = java.util.Map.of("HTTPS_PROXY", "http://u:secret@proxy.example:3128",
        "NO_PROXY", "internal.example,.corp.example");
    try (ImagesClient c = ImagesClient.builder().environment(env).baseUrl("https://api.chatanywhere.tech/v1").build()) {
      assertThat(c.toString()).contains("proxy=proxy.example:3128").doesNotContain("secret");
    }
    for (String direct : List.of("https://internal.example/v1", "https://gw.corp.example/v1", "http://127.0.0.1:9/v1")) {
      try (ImagesClient c = ImagesClient.builder().environment(env).baseUrl(direct).build()) {
        assertThat(c.toString()).as(direct).doesNotContain("proxy=");
      }
    }
  }
}
