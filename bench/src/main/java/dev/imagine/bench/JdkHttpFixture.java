package dev.imagine.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The held-out fixture of issue 14: a JDK {@link HttpServer} (not Vert.x, not imagine's backend) that
 * answers every {@code POST /v1/images/generations} after a fixed latency with the same {@code n}
 * noisy 1024x1024 PNGs of about 2.9 MB as {@code b64_json}. Like many servers it keeps at most
 * {@code sun.net.httpserver.maxIdleConnections} (200 by default) idle keep-alive connections and
 * closes the others as they fall idle, without a {@code Connection: close}: a client that reuses
 * one of those races the close.
 */
final class JdkHttpFixture implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fixture");
    t.setDaemon(true);
    return t;
  });
  private final byte[] answer;
  final AtomicLong generations = new AtomicLong();
  final long imageBytes;

  JdkHttpFixture(Duration latency, int n) throws Exception {
    String b64 = StandInBackend.png("1024x1024", 32);
    imageBytes = java.util.Base64.getDecoder().decode(b64).length;
    StringBuilder out = new StringBuilder(n * (b64.length() + 32) + 64).append("{\"created\":1,\"data\":[");
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ",").append("{\"b64_json\":\"").append(b64).append("\"}");
    }
    answer = out.append("],\"size\":\"1024x1024\"}").toString().getBytes(StandardCharsets.US_ASCII);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.createContext("/v1/images/generations", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        generations.incrementAndGet();
        Thread.sleep(latency.toMillis());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(answer);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.setExecutor(pool);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
