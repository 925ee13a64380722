package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls from a Vert.x worker context of the client's own Vert.x (a worker verticle, a worker
 * context of the application's): a worker runs its tasks one at a time.
 */
class WorkerContextTest {
  private final Vertx vertx = Vertx.vertx();
  private final ScriptedServer server = new ScriptedServer();
  private final ImagesClient client = server.client(ImagesClient.builder().vertx(vertx).maxRetries(0));
  private final Context worker = ((VertxInternal) vertx).createWorkerContext();

  @AfterEach
  void close() throws Exception {
    client.close();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Before, the call was queued on the worker behind the task blocked waiting for it: it never ran. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void generateBlockingOnAWorkerContextReturnsTheImages() throws Exception {
    CompletableFuture<ImageResult> done = new CompletableFuture<>();
    worker.runOnContext(v -> {
      try {
        done.complete(client.images().model(Model.GPT_IMAGE_2).prompt("a red fox").generate());
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    assertThat(done.get(20, TimeUnit.SECONDS).images()).hasSize(1);
    assertThat(server.received).hasSize(1);
  }

  /** The call runs on the worker's event loop; its result comes back on the worker's context, as Vert.x's own clients do. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void generateAsyncOnAWorkerContextIsHeardOnThatContext() throws Exception {
    CompletableFuture<Context> heardOn = new CompletableFuture<>();
    CompletableFuture<Boolean> onWorkerThread = new CompletableFuture<>();
    worker.runOnContext(v -> client.images().model(Model.GPT_IMAGE_2).prompt("a red fox").generateAsync()
        .onComplete(ar -> {
          onWorkerThread.complete(Context.isOnWorkerThread());
          heardOn.complete(Vertx.currentContext());
        }));
    assertThat(heardOn.get(20, TimeUnit.SECONDS)).isSameAs(worker);
    assertThat(onWorkerThread.get()).isTrue();
    assertThat(server.received).hasSize(1);
  }
}
