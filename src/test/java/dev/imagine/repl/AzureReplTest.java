package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Azure OpenAI user has only Azure's environment variables: the REPL starts on their resource,
 * not on the offline backend, sends Azure's request shape, and never shows the key.
 */
class AzureReplTest {
  static final Duration SLOW = Duration.ofSeconds(60);
  static final String KEY = "azure-key-0123456789abcdef";

  record Seen(String path, String query, String apiKey, String authorization) {}

  @Test
  void azureEnvironmentVariablesAloneStartTheReplOnAzure(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Seen> seen = new CopyOnWriteArrayList<>();
    String answer = "{\"created\":1,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png()) + "\"}]}";
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seen.add(new Seen(req.path(), req.query(), req.getHeader("api-key"), req.getHeader("Authorization")));
      if (req.path().contains("/images/generations")) {
        req.response().putHeader("content-type", "application/json").end(answer);
      } else {
        req.response().setStatusCode(404).end();
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      String endpoint = "http://127.0.0.1:" + server.actualPort();
      Map<String, String> env = Map.of("IMAGINE_IMAGES", "none", "AZURE_OPENAI_ENDPOINT", endpoint,
          "AZURE_OPENAI_API_KEY", KEY, "OPENAI_API_VERSION", "2025-04-01-preview");
      try (ReplHarness repl = new ReplHarness(dir, env)) {
        String banner = repl.await(0, "imagine>", SLOW);
        assertThat(banner).contains("Using " + endpoint + " (AZURE_OPENAI_API_KEY set)").doesNotContain("local backend");
        repl.run("images().model(\"gpt-image-2\").prompt(\"a fox\").generate()", SLOW);
        assertThat(seen).filteredOn(s -> s.path().contains("/images/generations")).singleElement().satisfies(s -> {
          assertThat(s.path()).isEqualTo("/openai/deployments/gpt-image-2/images/generations");
          assertThat(s.query()).isEqualTo("api-version=2025-04-01-preview");
          assertThat(s.apiKey()).isEqualTo(KEY);
          assertThat(s.authorization()).isNull();
        });
        String config = repl.run("/config", SLOW);
        assertThat(config).contains("API key:  set (AZURE_OPENAI_API_KEY)").contains("remote: ").doesNotContain(KEY);
        assertThat(repl.raw()).doesNotContain(KEY);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static byte[] png() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }
}
