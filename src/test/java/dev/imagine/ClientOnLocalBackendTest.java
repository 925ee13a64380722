package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.server.Fault;
import dev.imagine.server.LocalBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The client and the embedded backend together, end to end over loopback: what a user's first minutes look like. */
class ClientOnLocalBackendTest extends OnLocalBackend {
  @Test
  void generatesARealPngOfTheRequestedSize() {
    ImageResult r = client.images().prompt("a red fox in snow").size(1536, 1024).generate();
    assertThat(r.image().mimeType()).isEqualTo("image/png");
    assertThat(r.image().width()).isEqualTo(1536);
    assertThat(r.image().height()).isEqualTo(1024);
    assertThat(r.usage()).isNotNull();
    assertThat(r.requestId()).startsWith("req_");
  }

  @Test
  void dallE2AnswersWithUrlsThatAreDownloadedAtOnce() {
    ImageResult r = client.images().prompt("a lighthouse").model(Model.DALL_E_2).size(Size.SQUARE_256).n(2).generate();
    assertThat(r.images()).hasSize(2).allSatisfy(image -> {
      assertThat(image.url()).startsWith(backend.baseUrl());
      assertThat(image.width()).isEqualTo(256);
    });
  }

  @Test
  void dallE3RevisesThePrompt() {
    ImageResult r = client.images().prompt("a lighthouse").model(Model.DALL_E_3).responseFormat(ResponseFormat.B64_JSON).generate();
    assertThat(r.revisedPrompt()).isNotBlank();
  }

  @Test
  void jpegOutputIsJpeg() {
    ImageResult r = client.images().prompt("a lighthouse").outputFormat(OutputFormat.JPEG).outputCompression(60).generate();
    assertThat(r.image().mimeType()).isEqualTo("image/jpeg");
    assertThat(r.image().width()).isEqualTo(1024);
  }

  @Test
  void streamingDeliversPreviewsThenTheImage() {
    List<GeneratedImage> previews = new CopyOnWriteArrayList<>();
    ImageResult r = client.images().prompt("a red fox").stream(2).generate(previews::add);
    assertThat(previews).hasSize(2);
    assertThat(r.images()).hasSize(1);
    assertThat(r.image().width()).isEqualTo(1024);
    assertThat(r.usage()).isNotNull();
  }

  @Test
  void editsSixteenImagesWithAMask() {
    GeneratedImage source = client.images().prompt("a room").size(Size.SQUARE_1024).generate().image();
    List<ImageInput> inputs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      inputs.add(ImageInput.of("in-" + i + ".png", source.bytes()));
    }
    ImageResult r = client.images().edit(inputs.toArray(ImageInput[]::new)).mask(source.asInput())
        .prompt("add a cat").generate();
    assertThat(r.image().mimeType()).isEqualTo("image/png");
  }

  @Test
  void theServersRulesAndTheClientsAgree() {
    assertThatThrownBy(() -> client.images().prompt("p").model("gpt-image-2").size("1000x1000").generate())
        .isInstanceOf(InvalidRequestException.class);
    // an unknown model passes the client; the server (strict) has the last word
    assertThatThrownBy(() -> client.images().prompt("p").model("reseller-x").style("vivid").generate())
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.param()).isEqualTo("style");
          assertThat(e.requestId()).startsWith("req_");
        });
  }

  @Test
  void aFailureBeforeGeneratingIsRetriedAndTheImageIsMadeOnce() {
    try (LocalBackend flaky = LocalBackend.builder().faultFirst(1, Fault.SERVICE_UNAVAILABLE).start();
         ImagesClient c = ImagesClient.builder().baseUrl(flaky.baseUrl()).build()) {
      assertThat(c.images().prompt("p").model(Model.GPT_IMAGE_2).generate().images()).hasSize(1);
      assertThat(flaky.generationCount()).isEqualTo(1);
      assertThat(flaky.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void aConnectionDroppedAfterGeneratingIsNotResentSoNothingIsBilledTwice() {
    try (LocalBackend dropping = LocalBackend.builder().fault(Fault.DROP_BEFORE_RESPONSE).start();
         ImagesClient c = ImagesClient.builder().baseUrl(dropping.baseUrl()).build()) {
      assertThatThrownBy(() -> c.images().prompt("p").generate())
          .isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.requestSent()).isTrue());
      assertThat(dropping.generationCount()).isEqualTo(1);
    }
  }

  @Test
  void aSlowServerTimesOutAndIsAskedOnce() {
    try (LocalBackend slow = LocalBackend.builder().latency(Duration.ofSeconds(3)).start();
         ImagesClient c = ImagesClient.builder().baseUrl(slow.baseUrl()).requestTimeout(Duration.ofMillis(400)).build()) {
      assertThatThrownBy(() -> c.images().prompt("p").model(Model.GPT_IMAGE_2).generate())
          .isInstanceOf(RequestTimeoutException.class);
      assertThat(slow.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void chatAnywhereLowBalanceAndProxyPagesGiveClearErrors() {
    try (LocalBackend poor = LocalBackend.builder().fault(Fault.LOW_BALANCE).start();
         ImagesClient c = ImagesClient.builder().baseUrl(poor.baseUrl()).build()) {
      assertThatThrownBy(() -> c.images().prompt("p").model(Model.GPT_IMAGE_2).generate())
          .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("余额").hasMessageContaining("top it up");
      assertThat(poor.requestCount()).isEqualTo(1);
    }
    try (LocalBackend poorHtml = LocalBackend.builder().fault(Fault.LOW_BALANCE_HTML).start();
         ImagesClient c = ImagesClient.builder().baseUrl(poorHtml.baseUrl()).build()) {
      assertThatThrownBy(() -> c.images().prompt("p").generate())
          .isInstanceOf(PermissionDeniedException.class).hasMessageNotContaining("<html").hasMessageNotContaining("<div");
    }
    try (LocalBackend proxy = LocalBackend.builder().fault(Fault.HTML_BAD_GATEWAY).start();
         ImagesClient c = ImagesClient.builder().baseUrl(proxy.baseUrl()).maxRetries(0).build()) {
      assertThatThrownBy(() -> c.images().prompt("p").generate())
          .isInstanceOf(ServerException.class).hasMessageContaining("502").hasMessageNotContaining("<html");
    }
  }

  @Test
  void aRequiredKeyIsSentAndAWrongOneIsExplained() {
    try (LocalBackend locked = LocalBackend.builder().apiKey("sk-local-right").start();
         ImagesClient right = ImagesClient.builder().baseUrl(locked.baseUrl()).apiKey("sk-local-right").build();
         ImagesClient wrong = ImagesClient.builder().baseUrl(locked.baseUrl()).apiKey("sk-local-wrong").build()) {
      assertThat(right.images().prompt("p").generate().images()).hasSize(1);
      assertThatThrownBy(() -> wrong.images().prompt("p").generate())
          .isInstanceOf(AuthenticationException.class).hasMessageContaining("OPENAI_API_KEY").hasMessageNotContaining("sk-local-wrong");
    }
  }

  @Test
  void manySimultaneousAsyncRequestsAllComplete() throws Exception {
    List<io.vertx.core.Future<ImageResult>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(client.images().prompt("fox " + (i % 5)).size(Size.SQUARE_256).model(Model.DALL_E_2)
          .responseFormat(ResponseFormat.B64_JSON).generateAsync());
    }
    io.vertx.core.Future.all(all).toCompletionStage().toCompletableFuture().get(3, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(all).allSatisfy(f -> assertThat(f.result().image().width()).isEqualTo(256));
  }
}
