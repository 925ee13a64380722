package dev.imagine;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/**
 * A real HTTP server on loopback whose answers a test scripts one by one, recording every request
 * it receives (method, path, headers, body), so tests see exactly what went over the wire.
 */
final class ScriptedServer implements AutoCloseable {
  /** One request as received; {@code atNanos} is {@link System#nanoTime()} when its body had arrived. */
  record Received(String method, String path, io.vertx.core.MultiMap headers, Buffer body, String query, long atNanos) {
    String bodyText() {
      return body.toString();
    }
  }

  /** What to do with one request. */
  interface Answer {
    void answer(HttpServerRequest request, Buffer body);
  }

  final Vertx vertx = Vertx.vertx();
  final List<Received> received = new CopyOnWriteArrayList<>();
  /** The clients' {@code GET /models} requests, kept apart so {@link #received} holds only the images calls. */
  final List<Received> modelLookups = new CopyOnWriteArrayList<>();
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private Answer fallback = json(200, imagesJson(png(8, 8)));
  private volatile Answer models = raw(404, "application/json",
      "{\"error\":{\"message\":\"no model list here\",\"type\":\"invalid_request_error\",\"code\":null,\"param\":null}}");
  private final HttpServer server;

  ScriptedServer() {
    Handler<HttpServerRequest> handler = request -> request.body().onSuccess(body -> {
      Received r = new Received(request.method().name(), request.path(), request.headers(), body, request.query(),
          System.nanoTime());
      if (r.method().equals("GET") && r.path().endsWith("/models")) {
        modelLookups.add(r);
        models.answer(request, body);
        return;
      }
      received.add(r);
      Answer next = answers.poll();
      (next == null ? fallback : next).answer(request, body);
    });
    server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").await();
  }

  String baseUrl() {
    return root() + "/v1";
  }

  /** The server's root URL, without a path: what Azure calls the endpoint. */
  String root() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  ScriptedServer then(Answer answer) {
    answers.add(answer);
    return this;
  }

  /** How {@code GET /models} is answered; by default 404, a server without a model list. */
  ScriptedServer models(Answer answer) {
    models = answer;
    return this;
  }

  ScriptedServer always(Answer answer) {
    fallback = answer;
    return this;
  }

  ImagesClient client() {
    return client(ImagesClient.builder());
  }

  ImagesClient client(ImagesClient.Builder builder) {
    return builder.baseUrl(baseUrl()).apiKey("sk-test-fake-key-0042").build();
  }

  static Answer json(int status, String body) {
    return (req, b) -> req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("x-request-id", "req_test123").end(body);
  }

  static Answer raw(int status, String contentType, String body) {
    return (req, b) -> req.response().setStatusCode(status).putHeader("content-type", contentType).end(body);
  }

  /** Never answers: the request stays open. */
  static Answer stall() {
    return (req, b) -> {};
  }

  /** Closes the connection without an answer. */
  static Answer drop() {
    return (req, b) -> req.connection().close();
  }

  static String imagesJson(byte[]... images) {
    StringBuilder data = new StringBuilder();
    for (byte[] image : images) {
      data.append(data.length() == 0 ? "" : ",").append("{\"b64_json\":\"")
          .append(java.util.Base64.getEncoder().encodeToString(image)).append("\"}");
    }
    return "{\"created\":1700000000,\"data\":[" + data + "],\"size\":\"1024x1024\",\"quality\":\"low\","
        + "\"output_format\":\"png\",\"usage\":{\"input_tokens\":10,\"output_tokens\":20,\"total_tokens\":30,"
        + "\"input_tokens_details\":{\"text_tokens\":10,\"image_tokens\":0}}}";
  }

  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 31 + y * 17) * 0x010203);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
