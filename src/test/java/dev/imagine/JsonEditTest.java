package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.internal.wire.Json;
import dev.imagine.server.LocalBackend;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Edits of images the server reads itself (URL, data URL, file id): sent as JSON, read by the local backend. */
class JsonEditTest {
  static final byte[] PNG = ScriptedServer.png(16, 16);
  static final String DATA_URL = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
  final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void stopServer() {
    server.close();
  }

  JsonNode sentJson() throws Exception {
    ScriptedServer.Received r = server.received.get(0);
    assertThat(r.path()).isEqualTo("/v1/images/edits");
    assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
    return Json.MAPPER.readTree(r.bodyText());
  }

  @Test
  void urlDataUrlAndFileIdInputsGoAsJsonImagesAndBytesBesideThemAsDataUrls() throws Exception {
    try (ImagesClient client = server.client()) {
      client.images().model(Model.GPT_IMAGE_2).prompt("add a hat")
          .edit(ImageInput.url("https://example.com/fox.png?sig=secret"), ImageInput.url(DATA_URL),
              ImageInput.fileId("file-abc123"), ImageInput.of("hat.png", PNG))
          .mask(ImageInput.fileId("file-mask1")).generate();
    }
    JsonNode body = sentJson();
    assertThat(body.get("prompt").asText()).isEqualTo("add a hat");
    assertThat(body.get("model").asText()).isEqualTo("gpt-image-2");
    JsonNode images = body.get("images");
    assertThat(images).hasSize(4);
    assertThat(images.get(0).get("image_url").asText()).isEqualTo("https://example.com/fox.png?sig=secret");
    assertThat(images.get(1).get("image_url").asText()).isEqualTo(DATA_URL);
    assertThat(images.get(2).get("file_id").asText()).isEqualTo("file-abc123");
    assertThat(images.get(3).get("image_url").asText()).isEqualTo(DATA_URL);
    assertThat(body.get("mask").get("file_id").asText()).isEqualTo("file-mask1");
  }

  @Test
  void filesAndBytesAloneStayMultipart() {
    try (ImagesClient client = server.client()) {
      client.images().model(Model.GPT_IMAGE_2).prompt("add a hat").edit(ImageInput.of("fox.png", PNG)).generate();
    }
    assertThat(server.received.get(0).headers().get("Content-Type")).startsWith("multipart/form-data");
  }

  @Test
  void aDallEEditByUrlIsRefusedBeforeSending() {
    try (ImagesClient client = server.client()) {
      assertThatThrownBy(() -> client.images().model("dall-e-2").prompt("p").edit(ImageInput.url(DATA_URL)).generate())
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("GPT image model");
    }
    assertThat(server.received).isEmpty();
  }

  @Test
  void aJsonEditFromADataUrlReachesTheLocalBackendAndComesBackEdited() {
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      ImageGeneration edit = client.images().model(Model.GPT_IMAGE_2).prompt("give the fox a red scarf").size("1024x1024");
      ImageResult byJson = edit.edit(ImageInput.url(DATA_URL)).generate();
      ImageResult byForm = edit.edit(ImageInput.of("fox.png", PNG)).generate();
      assertThat(byJson.image().mimeType()).isEqualTo("image/png");
      assertThat(byJson.image().width()).isEqualTo(1024);
      assertThat(byJson.usage().imageTokens()).as("the backend read the input image").isPositive();
      // the local backend's picture depends on the input image's bytes: the same image, by either form
      assertThat(byJson.image().bytes()).isEqualTo(byForm.image().bytes());
      ImageResult other = edit.edit(ImageInput.url("data:image/png;base64,"
          + Base64.getEncoder().encodeToString(ScriptedServer.png(16, 17)))).generate();
      assertThat(other.image().bytes()).isNotEqualTo(byJson.image().bytes());
    }
  }

  @Test
  void theLocalBackendSaysItFetchesNoRemoteUrls() {
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      assertThatThrownBy(() -> client.images().model(Model.GPT_IMAGE_2).prompt("p")
          .edit(ImageInput.url("https://example.com/fox.png")).generate())
          .isInstanceOf(BadRequestException.class).hasMessageContaining("fetches no image URLs")
          .hasMessageContaining("data URL");
    }
  }

  @Test
  void inputsByReferenceNeverShowTheirBase64OrSignature() {
    assertThat(ImageInput.url(DATA_URL).toString()).doesNotContain(DATA_URL.substring(30, 60)).contains("image/png");
    assertThat(ImageInput.url("https://example.com/fox.png?sig=secret").toString())
        .contains("example.com/fox.png").doesNotContain("secret");
    assertThat(ImageInput.url(DATA_URL).bytes()).isEqualTo(PNG);
    assertThat(ImageInput.url(DATA_URL).mimeType()).isEqualTo("image/png");
    assertThat(ImageInput.url("https://example.com/a/fox.png").filename()).isEqualTo("fox.png");
    assertThatThrownBy(() -> ImageInput.url("https://example.com/fox.png").bytes())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not here");
    assertThatThrownBy(() -> ImageInput.url("fox.png")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ImageInput.of(Path)");
    assertThatThrownBy(() -> ImageInput.url("data:text/plain,hello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data:image/png;base64");
    assertThatThrownBy(() -> ImageInput.fileId("two words")).isInstanceOf(IllegalArgumentException.class);
  }
}
