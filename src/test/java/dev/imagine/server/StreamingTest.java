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
  void latencyIsSpreadOverTheEventsWhichArriveOneByOne() throws Exception {
    // 2.4 s over three events: one every 0.8 s. Only lower bounds, as a slow machine stretches the
    // gaps; one burst at the end would give gaps of about nothing.
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(backend.baseUrl() + "/images/generations"))
        .header("content-type", "application/json").header("x-imagine-latency-ms", "2400")
        .timeout(java.time.Duration.ofSeconds(30))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"prompt\":\"slow stream\",\"stream\":true,\"partial_images\":2,\"quality\":\"low\"}"))
        .build();
    long t0 = System.nanoTime();
    java.net.http.HttpResponse<java.util.stream.Stream<String>> answer =
        Http.CLIENT.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
    List<String> names = new ArrayList<>();
    List<Long> arrivedMillis = new ArrayList<>();
    String[] name = {null};
    try (java.util.stream.Stream<String> lines = answer.body()) {
      lines.forEach(line -> {
        if (line.startsWith("event: ")) {
          name[0] = line.substring(7);
        } else if (line.isEmpty() && name[0] != null) { // the blank line that ends an event
          names.add(name[0]);
          arrivedMillis.add((System.nanoTime() - t0) / 1_000_000);
          name[0] = null;
        }
      });
    }
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(names).containsExactly("image_generation.partial_image", "image_generation.partial_image",
        "image_generation.completed");
    assertThat(arrivedMillis.get(0)).as("the first event waits its share: %s", arrivedMillis).isGreaterThanOrEqualTo(400);
    assertThat(arrivedMillis.get(1) - arrivedMillis.get(0)).as("apart: %s", arrivedMillis).isGreaterThanOrEqualTo(400);
    assertThat(arrivedMillis.get(2) - arrivedMillis.get(1)).as("apart: %s", arrivedMillis).isGreaterThanOrEqualTo(400);
  }
}
