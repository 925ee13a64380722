package dev.imagine;

import static dev.imagine.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-client listeners: what they hear, in which order, and that they cannot break a request. */
class GenerationListenerTest {
  final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void close() {
    server.close();
  }

  /** Writes one line per callback, tagged with its name. */
  static final class Recorder implements GenerationListener {
    final String name;
    final List<String> events;

    Recorder(String name, List<String> events) {
      this.name = name;
      this.events = events;
    }

    @Override
    public void started(ImageRequest request) {
      events.add(name + " started " + request.prompt());
    }

    @Override
    public void completed(ImageRequest request, ImageResult result) {
      events.add(name + " completed " + result.images().size());
    }

    @Override
    public void failed(ImageRequest request, Throwable failure) {
      events.add(name + " failed " + failure.getClass().getSimpleName());
    }

    @Override
    public void retrying(ImageRequest request, int attempt, Duration delay, Throwable cause) {
      events.add(name + " retrying " + attempt + " after " + delay.toMillis() + " ms: " + cause.getClass().getSimpleName());
    }
  }

  @Test
  void listenersHearStartRetryAndCompletionInTheOrderTheyWereAdded() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    server.then((req, b) -> req.response().setStatusCode(503).putHeader("retry-after-ms", "30")
        .end("{\"error\":{\"message\":\"busy\"}}"));
    try (ImagesClient client = server.client(ImagesClient.builder()
        .listener(new Recorder("a", events)).listener(new Recorder("b", events)))) {
      client.images().prompt("fox").generate();
    }
    assertThat(events).containsExactly("a started fox", "b started fox",
        "a retrying 1 after 30 ms: ServerException", "b retrying 1 after 30 ms: ServerException",
        "a completed 1", "b completed 1");
    assertThat(server.received).hasSize(2);
  }

  @Test
  void aFailureIsHeardOnceAfterTheLastAttempt() {
    List<String> events = new CopyOnWriteArrayList<>();
    server.always(json(400, "{\"error\":{\"message\":\"bad size\",\"param\":\"size\"}}"));
    try (ImagesClient client = server.client(ImagesClient.builder().listener(new Recorder("a", events)))) {
      assertThatThrownBy(() -> client.images().prompt("fox").generate()).isInstanceOf(BadRequestException.class);
    }
    assertThat(events).containsExactly("a started fox", "a failed BadRequestException");
  }

  @Test
  void eachClientHasItsOwnListeners() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (ImagesClient heard = server.client(ImagesClient.builder().listener(new Recorder("a", events)));
         ImagesClient other = server.client()) {
      other.images().prompt("unheard").generate();
      heard.images().prompt("heard").generate();
    }
    assertThat(events).containsExactly("a started heard", "a completed 1");
  }

  @Test
  void aListenerThatThrowsNeitherFailsTheRequestNorSilencesTheNextListener() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    GenerationListener broken = new GenerationListener() {
      @Override
      public void started(ImageRequest request) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void completed(ImageRequest request, ImageResult result) {
        throw new IllegalStateException("listener bug");
      }
    };
    try (ImagesClient client = server.client(ImagesClient.builder().listener(broken).listener(new Recorder("b", events)))) {
      ImageResult r = client.images().prompt("fox").generateAsync()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(r.images()).hasSize(1);
    }
    assertThat(events).containsExactly("b started fox", "b completed 1");
  }
}
