package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamingTest {
  static LocalBackend backend;

  @BeforeAll
  static void start() {
    backend = LocalBackend.start();
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  /** One server-sent event: its {@code event:} line and its JSON {@code data:}. */
  record Event(String name, JsonNode data) {}

  static List<Event> events(Http.Answer a) {
    List<Event> out = new ArrayList<>();
    for (String block : a.text().split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        try {
          out.add(new Event(name, Http.JSON.readTree(data)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  @Test
  void partialImagesComeInOrderThenTheCompletedImageWithUsage() {
    Http.Answer a = Http.post(backend.baseUrl() + "/images/generations",
        "{\"model\":\"gpt-image-1\",\"prompt\":\"streamed otter\",\"stream\":true,\"partial_images\":3,\"quality\":\"low\"}");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("content-type")).startsWith("text/event-stream");
    List<Event> events = events(a);
    assertThat(events).extracting(Event::name).containsExactly("image_generation.partial_image",
        "image_generation.partial_image", "image_generation.partial_image", "image_generation.completed");
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      assertThat(e.data().get("type").asText()).isEqualTo(e.name());
      assertThat(Http.decode(e.data().get("b64_json").asText()).getWidth()).isEqualTo(1024);
      assertThat(e.data().get("size").asText()).isEqualTo("1024x1024");
      assertThat(e.data().get("quality").asText()).isEqualTo("low");
      assertThat(e.data().get("output_format").asText()).isEqualTo("png");
      assertThat(e.data().get("background").asText()).isEqualTo("opaque");
      assertThat(e.data().get("created_at").asLong()).isPositive();
      if (i < 3) {
        assertThat(e.data().get("partial_image_index").asInt()).isEqualTo(i);
        assertThat(e.data().has("usage")).isFalse();
      }
    }
    JsonNode completed = events.get(3).data();
    assertThat(completed.get("usage").get("output_tokens").asLong()).isEqualTo(272);
    // previews are rougher, so smaller, than the final image
    assertThat(events.get(0).data().get("b64_json").asText().length())
        .isLessThan(completed.get("b64_json").asText().length());
  }

  @Test
  void theCompletedImageIsTheOneANonStreamedRequestGets() {
    String req = "{\"prompt\":\"same either way\",\"quality\":\"low\"";
    String plain = Http.post(backend.baseUrl() + "/images/generations", req + "}").json()
        .get("data").get(0).get("b64_json").asText();
    List<Event> streamed = events(Http.post(backend.baseUrl() + "/images/generations", req + ",\"stream\":true}"));

    assertThat(streamed).hasSize(1);
    assertThat(streamed.get(0).data().get("b64_json").asText()).isEqualTo(plain);
  }

  @Test
  void aStreamedEditUsesTheImageEditEventTypes() {
    Http.Answer a = new Http.Form().file("image", "a.png", "image/png", Http.png(16, 16, 0x808080))
        .field("prompt", "edit stream").field("stream", "true").field("partial_images", "1").field("quality", "low")
        .post(backend.baseUrl() + "/images/edits");

    assertThat(events(a)).extracting(Event::name).containsExactly("image_edit.partial_image", "image_edit.completed");
  }

  @Test
  void latencyIsSpreadOverTheEventsWhichArriveOneByOne() {
    long t0 = System.nanoTime();
    Http.Answer a = Http.post(backend.baseUrl() + "/images/generations",
        "{\"prompt\":\"slow stream\",\"stream\":true,\"partial_images\":2,\"quality\":\"low\"}",
        "x-imagine-latency-ms", "600");

    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(550);
    assertThat(events(a)).hasSize(3);
  }
}
