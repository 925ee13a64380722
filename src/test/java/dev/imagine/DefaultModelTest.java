package dev.imagine;

import static dev.imagine.ScriptedServer.imagesJson;
import static dev.imagine.ScriptedServer.json;
import static dev.imagine.ScriptedServer.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.internal.wire.Json;
import dev.imagine.server.LocalBackend;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The model a request without one goes to comes from the server's {@code GET /models}; models
 * OpenAI shut down are warned about, and a server's {@code model_not_found} for them is explained.
 */
class DefaultModelTest {
  static final Set<String> SERVED = Set.of("gpt-image-2", "gpt-image-2.5-flare");
  final ScriptedServer server = new ScriptedServer();
  final List<String> warnings = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    server.close();
  }

  /** Like OpenAI in December 2026: it lists two image models and knows no other. */
  void serveOnlyTwoModels() {
    server.models(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-image-2.5-flare\",\"object\":\"model\"},"
        + "{\"id\":\"whisper-1\",\"object\":\"model\"},{\"id\":\"gpt-image-2\",\"object\":\"model\",\"shutdown_date\":null}]}"));
    server.always((request, body) -> {
      String model = body.toJsonObject().getString("model");
      if (SERVED.contains(model)) {
        json(200, imagesJson(png(8, 8))).answer(request, body);
      } else {
        json(404, "{\"error\":{\"message\":\"The model `" + model + "` does not exist or you do not have access to it.\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}").answer(request, body);
      }
    });
  }

  ImagesClient client() {
    return server.client(ImagesClient.builder().warnings(warnings::add));
  }

  @Test
  void aRequestWithoutAModelGoesOnceToTheBestModelTheServerLists() throws Exception {
    serveOnlyTwoModels();
    try (ImagesClient client = client()) {
      ImageResult first = client.images().prompt("a fox").generate();
      ImageResult second = client.images().prompt("a hare").generateAsync().toCompletionStage().toCompletableFuture()
          .get(60, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(server.received).hasSize(2);
      JsonNode sent = Json.MAPPER.readTree(server.received.get(0).bodyText());
      assertThat(sent.get("model").asText()).isEqualTo("gpt-image-2");
      assertThat(first.model()).isEqualTo("gpt-image-2");
      assertThat(second.model()).isEqualTo("gpt-image-2");
      assertThat(server.modelLookups).as("the list is asked for once per client").hasSize(1);
      assertThat(server.modelLookups.get(0).path()).isEqualTo("/v1/models");
      assertThat(client.defaultModel()).isEqualTo("gpt-image-2");
      assertThat(warnings).isEmpty();
    }
  }

  @Test
  void aShutDownModelIsWarnedAboutAndItsModelNotFoundSaysWhenAndWhatReplacesIt() {
    serveOnlyTwoModels();
    try (ImagesClient client = client()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> client.images().prompt("a fox").model(Model.DALL_E_3).generate())
            .isInstanceOfSatisfying(ApiException.class, e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("model_not_found");
            })
            .hasMessageContaining("dall-e-3 was shut down by OpenAI on 2026-05-12; use gpt-image-2 instead");
      }
      assertThat(server.received).as("sent, since a reseller may still serve it; not retried").hasSize(2);
      assertThat(server.modelLookups).as("a request with a model needs no list").isEmpty();
      assertThat(warnings).as("one line, once").containsExactly(
          "imagine: dall-e-3 was shut down by OpenAI on 2026-05-12; use gpt-image-2 instead "
              + "(sending it anyway: some resellers still serve it)");
    }
  }

  @Test
  void aModelTheServerDoesNotKnowIsExplainedToo() {
    serveOnlyTwoModels();
    try (ImagesClient client = client()) {
      assertThatThrownBy(() -> client.images().prompt("a fox").model("gpt-image-9").generate())
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("This server does not serve gpt-image-9")
          .hasMessageContaining("leave the model unset");
      assertThat(warnings).isEmpty();
    }
  }

  @Test
  void aServerWithoutAModelListGetsGptImage2() throws Exception {
    try (ImagesClient client = client()) { // ScriptedServer answers GET /models with 404
      ImageResult r = client.images().prompt("a fox").generate();

      assertThat(Json.MAPPER.readTree(server.received.get(0).bodyText()).get("model").asText()).isEqualTo("gpt-image-2");
      assertThat(r.model()).isEqualTo("gpt-image-2");
      assertThat(server.modelLookups).hasSize(1);
    }
  }

  @Test
  void aListWithoutAnyModelTheCatalogueKnowsGetsGptImage2() {
    server.models(json(200, "{\"data\":[{\"id\":\"gpt-image-2-ca\"},{\"id\":\"dall-e-3\"},{\"id\":\"gpt-image-1\"}]}"));
    try (ImagesClient client = client()) {
      assertThat(client.images().prompt("a fox").generate().model()).isEqualTo("gpt-image-2");
    }
  }

  @Test
  void aBrokenRequestFailsBeforeTheListIsAskedFor() {
    try (ImagesClient client = client()) {
      assertThatThrownBy(() -> client.images().prompt(" ").generate()).isInstanceOf(InvalidRequestException.class);
      assertThat(server.modelLookups).isEmpty();
      assertThat(server.received).isEmpty();
    }
  }

  @Test
  void aRequestWithoutAModelIsCheckedByTheRulesOfTheLiveModelsAtOnce() {
    try (ImagesClient client = client()) {
      assertThatThrownBy(() -> client.images().prompt("a fox").style(Style.VIVID).generate())
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("remove it for the default model (gpt-image-2)");
      assertThatThrownBy(() -> client.images().prompt("a fox").size("7x7").generate())
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("multiples of 16");
      assertThat(server.modelLookups).isEmpty();
      assertThat(server.received).isEmpty();
    }
  }

  @Test
  void theLocalBackendListsTheLiveModelsAndStillServesShutDownOnes() {
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).warnings(warnings::add).build()) {
      assertThat(client.images().prompt("a fox").generate().model()).isEqualTo("gpt-image-2");
      assertThat(client.images().prompt("a fox").model(Model.GPT_IMAGE_1).generate().images()).hasSize(1);
      assertThat(warnings).singleElement().asString().contains("gpt-image-1 was shut down by OpenAI on 2026-10-23");
      assertThat(backend.generationCount()).isEqualTo(2);
    }
  }

  @Test
  void anOpenAiKeyWithoutABaseUrlIsToldOnceWhereItGoesAndHowToChangeIt() {
    ImagesClient.forgetHintsGiven();
    for (int i = 0; i < 2; i++) {
      ImagesClient.builder().environment(java.util.Map.of("OPENAI_API_KEY", "sk-proj-test-0042")).warnings(warnings::add)
          .build().close();
    }
    ImagesClient.forgetHintsGiven();
    ImagesClient.builder().environment(java.util.Map.of("OPENAI_API_KEY", "sk-proj-test-0042",
        "OPENAI_BASE_URL", "https://api.openai.com/v1")).warnings(warnings::add).build().close();
    ImagesClient.builder().environment(java.util.Map.of("OPENAI_API_KEY", "sk-test-0042")).warnings(warnings::add)
        .build().close();

    assertThat(warnings).singleElement().asString()
        .contains("requests go to ChatAnywhere (https://api.chatanywhere.tech/v1)")
        .contains("OPENAI_BASE_URL=https://api.openai.com/v1")
        .doesNotContain("test-0042");
  }
}
