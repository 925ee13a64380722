package dev.imagine.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.ImagesClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file download (a Batch API output) from a server that closes the connection the moment the
 * body is written. The file is written as it arrives; while the disk is behind, Vert.x pauses the
 * connection, and a close arriving then drops the part already read ("Connection was closed"):
 * the download lets the file's write queue take several megabytes before it pauses.
 */
class DownloadThenCloseTest {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aLargeFileFollowedAtOnceByTheCloseArrivesWhole(@TempDir Path dir) throws Exception {
    byte[] body = new byte[30 << 20];
    new Random(1).nextBytes(body);
    Buffer answer = Buffer.buffer(body);
    Vertx server = Vertx.vertx();
    try {
      int port = server.createHttpServer().requestHandler(req -> {
        req.response().putHeader("content-type", "application/octet-stream").end(answer);
        req.connection().close(); // in the same task: the FIN follows the last byte
      }).listen(0, "127.0.0.1").await().actualPort();
      List<String> failures = new ArrayList<>();
      try (ImagesClient client = ImagesClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1")
          .apiKey("sk-test-fake-key-0042").build()) {
        ApiCalls api = ClientAccess.transport(client).api();
        // before: 6 of 20 failed with "Connection was closed"
        for (int i = 0; i < 12; i++) {
          Path target = dir.resolve("output-" + i + ".jsonl");
          try {
            api.download("files/file-abc/content", target).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(target).hasSize(body.length);
          } catch (java.util.concurrent.ExecutionException e) {
            failures.add(e.getCause().getMessage());
          }
        }
        assertThat(Files.readAllBytes(dir.resolve("output-0.jsonl"))).isEqualTo(body);
      }
      assertThat(failures).isEmpty();
    } finally {
      server.close().await();
    }
  }
}
