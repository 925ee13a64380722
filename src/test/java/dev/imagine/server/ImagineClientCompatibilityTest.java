package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageInput;
import dev.imagine.ImageResult;
import dev.imagine.ImagesClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The project's own client against the backend: the two must agree on every shape. */
class ImagineClientCompatibilityTest {
  static LocalBackend backend;
  static ImagesClient client;

  @BeforeAll
  static void start() {
    backend = LocalBackend.builder().apiKey("sk-compat").start();
    client = ImagesClient.builder().baseUrl(backend.baseUrl()).apiKey("sk-compat").build();
  }

  @AfterAll
  static void stop() {
    client.close();
    backend.close();
  }

  @Test
  void generatesDownloadsUrlsEditsAndStreams() {
    ImageResult gpt = client.images().prompt("a red fox in snow").size("1536x1024").quality("low").generate();
    ImageResult dalle = client.images().model("dall-e-2").prompt("a red fox").size("256x256").n(2).generate();
    ImageResult edit = client.images().prompt("add a scarf").quality("low")
        .edit(ImageInput.of("a.png", Http.png(32, 32, 0x102030)), ImageInput.of("b.png", Http.png(32, 32, 0x405060)))
        .mask(ImageInput.of("mask.png", Http.png(32, 32, 0)))
        .generate();
    List<GeneratedImage> partials = new ArrayList<>();
    ImageResult streamed = client.images().prompt("streamed fox").quality("low").stream(2).generate(partials::add);

    assertThat(gpt.images()).hasSize(1);
    assertThat(gpt.images().get(0).width()).isEqualTo(1536);
    assertThat(dalle.images()).hasSize(2).allSatisfy(i -> assertThat(i.width()).isEqualTo(256));
    assertThat(edit.images().get(0).mimeType()).isEqualTo("image/png");
    assertThat(partials).hasSize(2);
    assertThat(streamed.images()).hasSize(1);
    assertThat(backend.generationCount()).isEqualTo(4);
  }
}
