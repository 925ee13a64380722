package dev.imagine.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.ImageRequest;
import dev.imagine.batch.ItemOutcome.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir
  Path dir;

  @Test
  void aTornLastLineIsDroppedAndTheNextEventStartsOnItsOwnLine() throws Exception {
    try (Journal j = Journal.open(dir)) {
      j.append(event("sent", 1));
      j.append(event("sent", 2));
    }
    Files.writeString(Journal.in(dir), "{\"event\":\"saved\",\"item\":1,\"fi", StandardOpenOption.APPEND);

    try (Journal j = Journal.open(dir)) {
      assertThat(j.events()).hasSize(2);
      j.append(event("sent", 3));
    }

    List<String> lines = Files.readAllLines(Journal.in(dir), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
    assertThat(Journal.readOnly(dir)).extracting(e -> e.path("item").asInt()).containsExactly(1, 2, 3);
  }

  @Test
  void aBrokenLineInTheMiddleIsReportedWithItsNumber() throws Exception {
    Files.writeString(Journal.in(dir), "{\"event\":\"sent\",\"item\":1}\nnot json\n{\"event\":\"sent\",\"item\":2}\n");
    assertThatThrownBy(() -> Journal.open(dir)).hasMessageContaining("line 2").hasMessageContaining("move it away");
  }

  @Test
  void twoRunsCannotShareAFolder() {
    try (Journal first = Journal.open(dir)) {
      assertThatThrownBy(() -> Journal.open(dir)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another imagine batch is running on " + dir);
    }
    Journal.open(dir).close(); // free again once the first closed
  }

  @Test
  void aFolderStartedWithOtherPromptsIsRefusedNamingTheItem() {
    List<ImageRequest> before = List.of(req("a red fox"), req("a blue fox"));
    BatchFolder.open(dir, before, "direct").close();

    List<ImageRequest> changed = List.of(req("a red fox"), req("a green fox"));
    assertThatThrownBy(() -> BatchFolder.open(dir, changed, "direct"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item 2").hasMessageContaining("a blue fox").hasMessageContaining("new --out folder");
    BatchFolder.open(dir, before, "direct").close(); // the refusal left the journal unlocked and unchanged
  }

  @Test
  void anItemSentWithNoOutcomeIsUnknownUnlessItsFilesAreOnDisk() throws Exception {
    List<ImageRequest> items = List.of(req("one"), req("two"));
    try (BatchFolder f = BatchFolder.open(dir, items, "direct")) {
      f.sent(1);
      f.sent(2);
    }
    Files.write(dir.resolve("0001-one.png"), new byte[] {1}); // written, then killed before "saved"

    try (BatchFolder f = BatchFolder.open(dir, items, "direct")) {
      f.settleInterrupted();
      var report = f.report(Duration.ZERO, Optional.empty(), null);
      assertThat(report.items()).extracting(i -> i.status()).containsExactly(Status.SAVED, Status.UNKNOWN);
      assertThat(report.items().get(0).files()).containsExactly(dir.resolve("0001-one.png"));
      assertThat(f.toSend(false)).isEmpty();
      assertThat(f.toSend(true)).containsExactly(2);
    }
  }

  private static ImageRequest req(String prompt) {
    return ImageRequest.builder().prompt(prompt).build();
  }

  private static ObjectNode event(String type, int item) {
    ObjectNode e = Journal.event(type);
    e.put("item", item);
    return e;
  }
}
