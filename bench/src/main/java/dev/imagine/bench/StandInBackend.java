package dev.imagine.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * A minimal Images API server used only when imagine's {@code LocalBackend} is not in the build
 * ({@code --backend standin}): it answers {@code POST /v1/images/generations} after a fixed latency
 * with n copies of a photo-like PNG of the requested size (faint noise over gradients, about 2.4 MiB at 1024x1024, so it compresses
 * about as badly as a real generated image), base64-encoded once per size and reused.
 */
final class StandInBackend implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setUseDaemonThread(true));
  private final HttpServer server;
  private final Map<String, String> b64BySize = new ConcurrentHashMap<>();
  private final Map<String, Buffer> answers = new ConcurrentHashMap<>();
  final AtomicLong generations = new AtomicLong();

  StandInBackend(Duration latency) throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      int n = json.getInteger("n", 1);
      String size = json.getString("size", "1024x1024");
      // the whole answer is built once per size and n, then copied: the backend should cost the client's cores little
      Buffer answer = answers.computeIfAbsent(size + "/" + n, k -> {
        String b64 = b64BySize.computeIfAbsent(size, StandInBackend::png);
        StringBuilder out = new StringBuilder(n * (b64.length() + 32) + 64);
        out.append("{\"created\":").append(System.currentTimeMillis() / 1000).append(",\"data\":[");
        for (int i = 0; i < n; i++) {
          out.append(i == 0 ? "" : ",").append("{\"b64_json\":\"").append(b64).append("\"}");
        }
        return Buffer.buffer(out.append("]}").toString());
      }).copy();
      generations.incrementAndGet();
      Runnable send = () -> req.response().putHeader("content-type", "application/json").end(answer);
      if (latency.isZero()) {
        send.run();
      } else {
        vertx.setTimer(latency.toMillis(), id -> send.run());
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  static String png(String size) {
    return png(size, 8);
  }

  /** A noisy gradient PNG as base64; more {@code noise} (0 to 255) compresses worse: 8 gives 2.4 MiB at 1024x1024, 32 gives 2.9 MB. */
  static String png(String size, int noise) {
    String[] wh = size.split("x");
    int w = Integer.parseInt(wh[0]);
    int h = Integer.parseInt(wh[1]);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (x * 255 / w + random.nextInt(noise)) & 0xFF;
        int g = (y * 255 / h + random.nextInt(noise)) & 0xFF;
        int b = ((x + y) * 127 / (w + h) + random.nextInt(noise)) & 0xFF;
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
