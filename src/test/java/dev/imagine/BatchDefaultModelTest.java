package dev.imagine;

import static dev.imagine.ScriptedServer.imagesJson;
import static dev.imagine.ScriptedServer.json;
import static dev.imagine.ScriptedServer.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.batch.Batch;
import dev.imagine.batch.BatchReport;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.wire.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A batch's items without a model are checked by the rules of the model the server chooses, not gpt-image-2's. */
@Timeout(60)
class BatchDefaultModelTest {
  final ScriptedServer server = new ScriptedServer();

  @TempDir
  Path out;

  @AfterEach
  void close() {
    server.close();
  }

  /** A server that lists gpt-image-2.5-flare as its one image model. */
  ImagesClient flareOnly() {
    server.models(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-image-2.5-flare\",\"object\":\"model\"}]}"));
    server.always(json(200, imagesJson(png(8, 8))));
    return server.client();
  }

  @Test
  void itemsWithoutAModelFollowTheServersDefaultModel() throws Exception {
    try (ImagesClient client = flareOnly()) {
      // xhigh is a quality of the 2.5 models: gpt-image-2's rules would refuse the item
      ImageRequest xhigh = ImageRequest.builder().prompt("a fox").quality("xhigh").build();

      BatchReport report = Batch.of(List.of(xhigh)).client(client).out(out).run();

      assertThat(report.with(Status.SAVED)).as(report.summary()).hasSize(1);
      assertThat(Json.MAPPER.readTree(server.received.get(0).bodyText()).get("model").asText()).isEqualTo("gpt-image-2.5-flare");
    }
  }

  @Test
  void aBadItemWithoutAModelIsRefusedNamingTheModelItWasCheckedFor() {
    try (ImagesClient client = flareOnly()) {
      ImageRequest ultra = ImageRequest.builder().prompt("a fox").quality("ultra").build();

      assertThatThrownBy(() -> Batch.of(List.of(ultra)).client(client).out(out).run())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("item 1 (\"a fox\", gpt-image-2.5-flare)")
          .hasMessageContaining("nothing was sent");
      assertThat(server.received).isEmpty();
    }
  }
}
