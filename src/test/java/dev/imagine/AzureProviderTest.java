package dev.imagine;

import static dev.imagine.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Azure OpenAI over loopback: how requests are addressed and authenticated, and Azure's error shapes. */
class AzureProviderTest {
  static final String AZURE_KEY = "azure-test-key-0042";
  final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void stopServer() {
    server.close();
  }

  ImagesClient azure(ImagesClient.Builder b) {
    return b.environment(Map.of()).azure(server.root()).apiKey(AZURE_KEY).build();
  }

  @Test
  void generationsGoToTheDeploymentWithApiVersionAndTheApiKeyHeaderOnly() {
    try (ImagesClient client = azure(ImagesClient.builder())) {
      client.images().model("my-image-deployment").prompt("a fox").generate();
      assertThat(client.baseUrl()).isEqualTo(server.root() + "/openai");
    }
    ScriptedServer.Received r = server.received.get(0);
    assertThat(r.path()).isEqualTo("/openai/deployments/my-image-deployment/images/generations");
    assertThat(r.query()).isEqualTo("api-version=2025-04-01-preview");
    assertThat(r.headers().get("api-key")).isEqualTo(AZURE_KEY);
    assertThat(r.headers().contains("Authorization")).isFalse();
  }

  @Test
  void editsGoToTheDeploymentsEditsPathAndTheVersionCanBeChosen() {
    try (ImagesClient client = azure(ImagesClient.builder().azureApiVersion("2025-06-01"))) {
      client.images().model("dep").edit(ImageInput.of("fox.png", ScriptedServer.png(4, 4))).prompt("add a hat").generate();
    }
    ScriptedServer.Received r = server.received.get(0);
    assertThat(r.path()).isEqualTo("/openai/deployments/dep/images/edits");
    assertThat(r.query()).isEqualTo("api-version=2025-06-01");
    assertThat(r.headers().get("Content-Type")).startsWith("multipart/form-data");
  }

  @Test
  void theEnvironmentAloneConfiguresAzureWhenNoOpenAiKeyIsSet() {
    Map<String, String> env = Map.of("AZURE_OPENAI_ENDPOINT", server.root() + "/", "AZURE_OPENAI_API_KEY", AZURE_KEY,
        "OPENAI_API_VERSION", "2024-10-21");
    try (ImagesClient client = ImagesClient.builder().environment(env).build()) {
      client.images().model("dep").prompt("a fox").generate();
      assertThat(client.toString()).doesNotContain(AZURE_KEY).contains("azure");
    }
    ScriptedServer.Received r = server.received.get(0);
    assertThat(r.path()).isEqualTo("/openai/deployments/dep/images/generations");
    assertThat(r.query()).isEqualTo("api-version=2024-10-21");
    assertThat(r.headers().get("api-key")).isEqualTo(AZURE_KEY);
  }

  @Test
  void anOpenAiKeyInTheEnvironmentKeepsTheOpenAiShape() {
    Map<String, String> env = Map.of("AZURE_OPENAI_ENDPOINT", "https://unused.openai.azure.com",
        "OPENAI_API_KEY", "sk-test-fake-key-0042", "OPENAI_BASE_URL", server.baseUrl());
    try (ImagesClient client = ImagesClient.builder().environment(env).build()) {
      client.images().prompt("a fox").generate();
    }
    ScriptedServer.Received r = server.received.get(0);
    assertThat(r.path()).isEqualTo("/v1/images/generations");
    assertThat(r.headers().get("Authorization")).isEqualTo("Bearer sk-test-fake-key-0042");
    assertThat(r.headers().contains("api-key")).isFalse();
  }

  @Test
  void anAzureContentFilterRefusalIsAContentRefusedExceptionAfterExactlyOneRequest() {
    server.always(json(400, "{\"error\":{\"code\":\"content_policy_violation\",\"message\":\"Your request was rejected "
        + "as a result of our safety system.\",\"param\":\"prompt\",\"type\":null,\"inner_error\":{\"code\":"
        + "\"ResponsibleAIPolicyViolation\",\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"sexual\":{\"filtered\":true,\"severity\":\"high\"},\"violence\":{\"filtered\":true,\"severity\":\"medium\"}},"
        + "\"revised_prompt\":\"...\"}}}"));
    Throwable t;
    try (ImagesClient client = azure(ImagesClient.builder())) {
      t = catchThrowable(() -> client.images().model("dep").prompt("p").generate());
    }
    assertThat(t).isInstanceOf(ContentRefusedException.class);
    ContentRefusedException e = (ContentRefusedException) t;
    assertThat(e.stage()).isEqualTo("input");
    assertThat(e.categories()).containsExactly("sexual", "violence");
    assertThat(e.getMessage()).contains("at the input stage (categories: sexual, violence)").contains("must change");
    assertThat(server.received).hasSize(1);
  }

  @Test
  void azuresStringCodesMapToTheSameExceptionsAndNameTheAzureKey() {
    server.always(json(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key "
        + "or wrong API endpoint.\"}}"));
    Throwable t;
    try (ImagesClient client = azure(ImagesClient.builder())) {
      t = catchThrowable(() -> client.images().model("dep").prompt("p").generate());
    }
    assertThat(t).isInstanceOf(AuthenticationException.class).hasMessageContaining("AZURE_OPENAI_API_KEY")
        .hasMessageNotContaining(AZURE_KEY);
    assertThat(((ApiException) t).code()).isEqualTo("401");
  }

  @Test
  void aMissingAzureKeyIsNotSentAndSaysWhichVariable() {
    Throwable t;
    try (ImagesClient client = ImagesClient.builder().environment(Map.of()).azure(server.root()).build()) {
      t = catchThrowable(() -> client.images().model("dep").prompt("p").generate());
    }
    assertThat(t).isInstanceOf(NotSentException.class).hasMessageContaining("AZURE_OPENAI_API_KEY");
    assertThat(server.received).isEmpty();
  }
}
