package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  /** Collects what Vert.x logs at WARNING and above while open. */
  static final class VertxWarnings extends Handler implements AutoCloseable {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger vertxLog = Logger.getLogger("io.vertx");

    VertxWarnings() {
      vertxLog.addHandler(this);
    }

    List<String> messages() {
      return records.stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        records.add(r);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
      vertxLog.removeHandler(this);
    }
  }

  /** Starts {@code chains} chains of {@code length} generations, each starting when the one before it ended; counts failures. */
  static List<Future<ImageResult>> chains(ImagesClient client, int chains, int length, AtomicInteger failures,
      List<String> messages) {
    List<Future<ImageResult>> all = new ArrayList<>();
    for (int chain = 0; chain < chains; chain++) {
      Future<ImageResult> f = Future.succeededFuture();
      for (int i = 0; i < length; i++) {
        String prompt = "fox " + chain + "/" + i;
        f = f.transform(ar -> {
          if (ar.failed()) {
            failures.incrementAndGet();
            messages.add(ar.cause().getMessage());
          }
          return client.images().prompt(prompt).generateAsync();
        });
      }
      all.add(f.onFailure(e -> {
        failures.incrementAndGet();
        messages.add(e.getMessage());
      }));
    }
    return all;
  }

  static void awaitAll(List<Future<ImageResult>> all, int seconds) throws Exception {
    Future.join(new ArrayList<>(all)).toCompletionStage().toCompletableFuture().exceptionally(e -> null)
        .get(seconds, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void concurrentRequestsOnConnectionsClosedAfterEachAnswerAllSucceedEachGeneratedOnce() throws Exception {
    Resends resends = new Resends();
    try (VertxWarnings warnings = new VertxWarnings();
        ScriptedServer server = new ScriptedServer().always(answerThenClose());
        ImagesClient client = server.client(ImagesClient.builder().maxRetries(0).listener(resends))) {
      AtomicInteger failures = new AtomicInteger();
      List<String> messages = new CopyOnWriteArrayList<>();
      // 200 at once, each followed by another the moment its answer is in, as the pool hands back the connection
      // the server is closing
      awaitAll(chains(client, 200, 2, failures, messages), 60);
      assertThat(messages).isEmpty();
      assertThat(failures.get()).isZero();
      assertThat(resends.count.get()).as("the race happened, or this test proves nothing").isPositive();
      assertThat(server.received).hasSize(400);
      assertThat(server.received.stream().map(ScriptedServer.Received::bodyText).distinct()).hasSize(400);
      assertThat(warnings.messages()).as("a re-sent request is not an error in the user's log").isEmpty();
    }
  }

  /**
   * Blocks every event loop of {@code vertx} for {@code busyMillis} every {@code periodMillis}, as an
   * application's own work, or a machine short of CPU, would: whatever the client schedules on an
   * event loop runs late.
   */
  static AutoCloseable busyEventLoops(Vertx vertx, int busyMillis, int periodMillis) {
    List<ScheduledFuture<?>> tasks = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      tasks.add(loop.scheduleAtFixedRate(() -> sleep(busyMillis), 0, periodMillis, TimeUnit.MILLISECONDS));
    }
    return () -> tasks.forEach(t -> t.cancel(false));
  }

  /**
   * A server closing connections after 20 to 300 ms idle, a client whose 4 event loops are blocked
   * 60 ms in every 100: the pool hands out connections whose close is on its way, and what the
   * client runs on its event loops runs late. Before the check and the write were one task on the
   * connection's event loop, 3 to 6 of these 200 requests were lost (and 1 for the connection the
   * model lookup opened, which was not checked at all).
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void requestsWhileTheClientsEventLoopsAreBusyAllSucceedEachGeneratedOnce() throws Exception {
    Resends resends = new Resends();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    try (VertxWarnings warnings = new VertxWarnings();
        IdleClosingServer server = new IdleClosingServer(20, 300);
        AutoCloseable busy = busyEventLoops(vertx, 60, 100);
        ImagesClient client = ImagesClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test-fake-key-0042")
            .vertx(vertx).maxRetries(0).listener(resends).build()) {
      AtomicInteger failures = new AtomicInteger();
      List<String> messages = new CopyOnWriteArrayList<>();
      awaitAll(chains(client, 10, 20, failures, messages), 100);
      assertThat(messages).isEmpty();
      assertThat(failures.get()).isZero();
      assertThat(resends.count.get()).as("the pool handed out connections the server had closed, or this test proves nothing")
          .isPositive();
      assertThat(server.generated).hasSize(200);
      assertThat(server.generated.stream().distinct()).hasSize(200);
      assertThat(warnings.messages()).as("a re-sent request is not an error in the user's log").isEmpty();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code task} on {@code context} and waits for it, at most 10 s. */
  static <T> T on(Context context, java.util.function.Supplier<T> task) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> done.complete(task.get()));
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aRequestCancelledWhileWaitingForItsPooledConnectionIsNotWrittenLater() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try (ScriptedServer server = new ScriptedServer();
        ImagesClient client = server.client(ImagesClient.builder().vertx(vertx).maxRetries(0))) {
      ContextInternal connectionLoop = ((VertxInternal) vertx).createEventLoopContext();
      // the first request opens the pooled connection on connectionLoop (a connection lives on the loop that opened it)
      on(connectionLoop, () -> client.images().model(Model.GPT_IMAGE_1).prompt("first").generateAsync())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      on(connectionLoop, () -> true); // the connection is back in the pool
      // the connection's event loop is stuck for a second while the second request waits for it, and is cancelled;
      // a call waits on another thread only when its caller is a worker (a call on an event loop uses that loop's
      // connections), so the second one is made on a worker context of the connection's event loop
      connectionLoop.runOnContext(v -> sleep(1000));
      ContextInternal worker = ((VertxInternal) vertx).contextBuilder().withEventLoop(connectionLoop.nettyEventLoop())
          .withThreadingModel(ThreadingModel.WORKER).build();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      CompletableFuture<Thread> caller = new CompletableFuture<>();
      CompletableFuture<Void> returned = new CompletableFuture<>();
      worker.runOnContext(v -> {
        caller.complete(Thread.currentThread());
        try {
          client.images().model(Model.GPT_IMAGE_1).prompt("second").generate();
        } catch (Throwable e) {
          thrown.set(e);
        }
        Thread.interrupted(); // a worker thread goes back to its pool
        returned.complete(null);
      });
      Thread.sleep(300);
      caller.get(10, TimeUnit.SECONDS).interrupt();
      returned.get(10, TimeUnit.SECONDS);
      assertThat(thrown.get()).isInstanceOf(CancellationException.class);
      // once the event loops have run what was queued on them, twice, the request has been written if it ever will be
      ContextInternal otherLoop = ((VertxInternal) vertx).createEventLoopContext();
      for (int round = 0; round < 2; round++) {
        on(connectionLoop, () -> true);
        on(otherLoop, () -> true);
      }
      Thread.sleep(200);
      assertThat(server.received).as("a cancelled request is not sent afterwards").hasSize(1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static void sleep(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
