package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that closes keep-alive connections without saying so: the client must not lose a
 * request it sent on a pooled connection the server had already closed (nothing was generated),
 * and must never send twice a request the server did read.
 */
class StaleConnectionTest {
  static final byte[] PNG = ScriptedServer.png(8, 8);

  /** Answers, then closes the connection at once, with no {@code Connection: close} header. */
  static ScriptedServer.Answer answerThenClose() {
    return (req, body) -> {
      req.response().putHeader("content-type", "application/json").end(ScriptedServer.imagesJson(PNG));
      req.connection().close(); // in the same task, so the FIN follows the answer at once
    };
  }

  /** Counts the re-sends the client reports. */
  static final class Resends implements GenerationListener {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void resendingOnNewConnection(ImageRequest request, Throwable cause) {
      count.incrementAndGet();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sequentialRequestsOnConnectionsClosedAfterEachAnswerAllSucceedEachGeneratedOnce() {
    Resends resends = new Resends();
    try (ScriptedServer server = new ScriptedServer().always(answerThenClose());
        ImagesClient client = server.client(ImagesClient.builder().maxRetries(0).listener(resends))) {
      int failures = 0;
      for (int i = 0; i < 200; i++) {
        try {
          client.images().prompt("fox " + i).generate();
        } catch (ConnectionException e) {
          failures++;
        }
      }
      assertThat(failures).isZero();
      assertThat(server.received).hasSize(200);
      assertThat(server.received.stream().map(ScriptedServer.Received::bodyText).distinct()).hasSize(200);
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void concurrentRequestsOnConnectionsClosedAfterEachAnswerAllSucceedEachGeneratedOnce() throws Exception {
    Resends resends = new Resends();
    List<LogRecord> vertxErrors = new CopyOnWriteArrayList<>();
    Handler errors = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          vertxErrors.add(r);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger vertxLog = Logger.getLogger("io.vertx");
    vertxLog.addHandler(errors);
    try (ScriptedServer server = new ScriptedServer().always(answerThenClose());
        ImagesClient client = server.client(ImagesClient.builder().maxRetries(0).listener(resends))) {
      AtomicInteger failures = new AtomicInteger();
      List<Future<ImageResult>> all = new ArrayList<>();
      // 200 at once, each followed by another the moment its answer is in, as the pool hands back the connection
      // the server is closing
      for (int chain = 0; chain < 200; chain++) {
        Future<ImageResult> f = Future.succeededFuture();
        for (int i = 0; i < 2; i++) {
          String prompt = "fox " + chain + "/" + i;
          f = f.transform(ar -> {
            if (ar.failed()) {
              failures.incrementAndGet();
            }
            return client.images().prompt(prompt).generateAsync();
          });
        }
        all.add(f.onFailure(e -> failures.incrementAndGet()));
      }
      Future.join(new ArrayList<>(all)).toCompletionStage().toCompletableFuture().exceptionally(e -> null)
          .get(60, TimeUnit.SECONDS);
      assertThat(failures.get()).isZero();
      assertThat(resends.count.get()).as("the race happened, or this test proves nothing").isPositive();
      assertThat(server.received).hasSize(400);
      assertThat(server.received.stream().map(ScriptedServer.Received::bodyText).distinct()).hasSize(400);
      assertThat(vertxErrors).as("a re-sent request is not an error in the user's log").extracting(LogRecord::getMessage)
          .isEmpty();
    } finally {
      vertxLog.removeHandler(errors);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aServerThatReadTheRequestAndThenClosedIsNeverSentItTwice() {
    Resends resends = new Resends();
    try (ScriptedServer server = new ScriptedServer();
        ImagesClient client = server.client(ImagesClient.builder().maxRetries(2).listener(resends))) {
      server.then(ScriptedServer.json(200, ScriptedServer.imagesJson(PNG)))
          .then((req, body) -> server.vertx.setTimer(50, id -> req.connection().close())); // read it, then drop it
      client.images().prompt("first, to open a keep-alive connection").generate();
      assertThatThrownBy(() -> client.images().prompt("second, on the reused connection").generate())
          .isInstanceOf(ConnectionException.class).hasMessageContaining("was lost after the request was sent")
          .hasMessageContaining("not sent again");
      assertThat(server.received).hasSize(2);
      assertThat(resends.count.get()).isZero();
    }
  }

  /** Answers with one extra header, noting the client port (one per connection). */
  static ScriptedServer.Answer answerNotingPort(Set<Integer> ports, String header, String value) {
    return (req, body) -> {
      if (req.path().endsWith("/images/generations")) { // not the client's GET /models for its default model
        ports.add(req.remoteAddress().port());
      }
      req.response().putHeader("content-type", "application/json").putHeader(header, value).end(ScriptedServer.imagesJson(PNG));
    };
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void connectionCloseAndKeepAliveTimeoutAreHonoured() throws Exception {
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    try (ScriptedServer server = new ScriptedServer().always(answerNotingPort(ports, "connection", "close"));
        ImagesClient client = server.client(ImagesClient.builder().maxRetries(0))) {
      for (int i = 0; i < 5; i++) {
        client.images().prompt("fox " + i).generate();
      }
      assertThat(ports).as("a new connection for each request after Connection: close").hasSize(5);
    }
    ports.clear();
    try (ScriptedServer server = new ScriptedServer().always(answerNotingPort(ports, "keep-alive", "timeout=2"));
        ImagesClient client = server.client(ImagesClient.builder().maxRetries(0))) {
      client.images().prompt("one").generate();
      client.images().prompt("two").generate();
      Set<Integer> before = Set.copyOf(ports);
      Thread.sleep(3200); // past the server's 2 s keep-alive (plus the pool's 1 s clock), short of the client's own 4 s idle limit
      client.images().prompt("three, after the server's keep-alive timeout").generate();
      assertThat(ports).as("the third request, after the server's keep-alive timeout, opens a new connection")
          .hasSize(before.size() + 1);
    }
  }
}
