package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.VertxInternal;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that closes the connection the moment a large answer is written (as one sending
 * {@code Connection: close} does, or the JDK's closing its surplus idle connections): the whole
 * answer is on the client's side of the socket, followed by the close. Vert.x drops what it has
 * read but not yet handed on when the close arrives while the connection is paused, and a
 * connection pauses whenever the call reading it runs on another event loop that is behind; the
 * client must keep each call on its connection's event loop, so every answer arrives whole.
 */
class CloseAfterAnswerTest {

  /** A PNG of noise, so it does not compress: about 3 bytes per pixel. */
  static byte[] noisyPng(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /**
   * 2.4 MB answers, the second on each connection followed at once by the close; 96 generations
   * 16 at a time from a plain thread. Before calls kept to their connection's event loop, 1 to 10
   * of these failed with "Connection was closed" while the answer was arriving.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void largeAnswersFollowedAtOnceByTheCloseAllArriveWhole() throws Exception {
    generateAgainstAServerClosingAfterAnswers((vertx, generation) -> generation.get());
  }

  /** The same from worker contexts, whose calls ran on the worker (the answer crossing threads): 1 to 5 failed. */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void largeAnswersToCallsFromWorkerContextsAllArriveWhole() throws Exception {
    generateAgainstAServerClosingAfterAnswers((vertx, generation) -> {
      Promise<ImageResult> result = Promise.promise();
      ((VertxInternal) vertx).createWorkerContext().runOnContext(v -> generation.get().onComplete(result));
      return result.future();
    });
  }

  /** Starts one generation, given the client's Vert.x and the generation as made on the calling thread. */
  interface Starter {
    Future<ImageResult> start(Vertx vertx, Supplier<Future<ImageResult>> generation);
  }

  private static void generateAgainstAServerClosingAfterAnswers(Starter starter) throws Exception {
    String answer = ScriptedServer.imagesJson(noisyPng(900, 900));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    Map<HttpConnection, Integer> answered = new ConcurrentHashMap<>();
    try (ScriptedServer server = new ScriptedServer().always((req, body) -> {
          req.response().putHeader("content-type", "application/json").end(answer);
          // the second answer on a connection, so the client reuses it (from any event loop) once
          if (answered.merge(req.connection(), 1, Integer::sum) == 2) {
            req.connection().close(); // in the same task: the FIN follows the last byte of the answer
          }
        });
        ImagesClient client = server.client(ImagesClient.builder().vertx(vertx).maxRetries(0))) {
      // each call on the next event loop (or a worker's), connections reused across them
      int total = 96;
      Semaphore inFlight = new Semaphore(16);
      List<String> failures = new CopyOnWriteArrayList<>();
      List<CompletableFuture<ImageResult>> all = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        inFlight.acquire();
        String prompt = "fox " + i;
        all.add(starter.start(vertx, () -> client.images().prompt(prompt).generateAsync()).toCompletionStage()
            .toCompletableFuture().whenComplete((r, e) -> {
              inFlight.release();
              if (e != null) {
                failures.add(e.getMessage());
              }
            }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(100, TimeUnit.SECONDS);
      assertThat(failures).isEmpty();
      assertThat(server.received).hasSize(total);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
