package dev.imagine.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * A loopback proxy in front of a test server: notes when each request arrives (and its prompt and
 * the status answered), and can hold a request before forwarding it or its answer before passing
 * it back, to place a client's death exactly between two steps. A request whose client goes away
 * while it is held is never forwarded.
 */
final class HoldingProxy implements AutoCloseable {
  record Arrival(String method, String path, String prompt, long nanos, int status) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Vertx vertx = Vertx.vertx();
  private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
  private final HttpServer server;

  /**
   * @param holdRequestMs how long to hold each request before forwarding it (0: at once)
   * @param holdAnswerMs how long to hold each answer before passing it back (0: at once)
   */
  HoldingProxy(int targetPort, ToLongFunction<HttpServerRequest> holdRequestMs, ToLongFunction<HttpServerRequest> holdAnswerMs)
      throws Exception {
    HttpClient http = vertx.createHttpClient();
    server = vertx.createHttpServer().requestHandler(req -> {
      long arrived = System.nanoTime();
      long holdRequest = holdRequestMs.applyAsLong(req);
      long holdAnswer = holdAnswerMs.applyAsLong(req);
      boolean[] gone = {false};
      req.connection().closeHandler(v -> gone[0] = true);
      req.body()
          .compose(body -> after(holdRequest).map(body))
          .compose(body -> gone[0] ? Future.failedFuture("the client went away while its request was held")
              : http.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(targetPort)
                  .setURI(req.uri()).setHeaders(req.headers()))
              .compose(r -> r.send(body))
              .compose(resp -> resp.body().map(answer -> {
                arrivals.add(new Arrival(req.method().name(), req.path(), prompt(body), arrived, resp.statusCode()));
                req.response().setStatusCode(resp.statusCode()).headers().setAll(resp.headers());
                return answer;
              })))
          .compose(answer -> after(holdAnswer).map(answer))
          .onSuccess(answer -> req.response().end(answer))
          .onFailure(e -> {
            if (!gone[0]) {
              req.response().setStatusCode(502).end(String.valueOf(e));
            }
          });
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A proxy that holds nothing and only notes the arrivals. */
  HoldingProxy(int targetPort) throws Exception {
    this(targetPort, r -> 0, r -> 0);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** The requests forwarded and answered, in the order their answers came. */
  List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  private Future<Void> after(long ms) {
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, t -> p.complete());
    return p.future();
  }

  private static String prompt(Buffer body) {
    try {
      return JSON.readTree(body.getBytes()).path("prompt").asText(null);
    } catch (java.io.IOException | RuntimeException e) {
      return null; // a multipart upload or no JSON
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
