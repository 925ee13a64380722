package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.ImagesClient;
import dev.imagine.internal.images.ImageGrid;
import dev.imagine.repl.history.History;
import dev.imagine.repl.history.HistoryEntry;
import dev.imagine.server.LocalBackend;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /compare} over a real terminal and the local backend: the count and estimate come first,
 * a "no" sends nothing, a "yes" sends the 2×2 matrix as 4 ordinary history entries and saves one
 * contact sheet whose row and column labels are drawn in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplCompareTest {
  static final String KEY = "sk-test-compare";
  static final Duration SLOW = Duration.ofSeconds(90);
  static final String COMPARE = "/compare prompt=\"a fox\" size=1024x1024,1536x1024 quality=low,high";
  @TempDir static Path dir;
  LocalBackend backend;

  @BeforeAll
  void startBackend() {
    backend = LocalBackend.builder().apiKey(KEY).start();
    try (ImagesClient warm = ImagesClient.builder().baseUrl(backend.baseUrl()).apiKey(KEY).build()) {
      warm.images().prompt("warm-up").generate();
    }
  }

  @AfterAll
  void stopBackend() {
    backend.close();
  }

  @Test
  void aTwoByTwoComparisonMakesFourHistoryEntriesAndOneLabelledSheet() throws Exception {
    Map<String, String> env = Map.of("IMAGINE_IMAGES", "none", "OPENAI_API_KEY", KEY, "OPENAI_BASE_URL",
        backend.baseUrl());
    int before;
    try (ReplHarness r = new ReplHarness(dir, env)) {
      r.await(0, "imagine>", SLOW);
      assertThat(r.run("1 + 1", SLOW)).contains("==> 2");
      assertThat(r.run("/config confirm-above $0")).contains("asks before sending when its estimate passes");
      assertThat(r.run("/compare prompt=\"a fox\" size=1024x1024")).contains("nothing to compare");
      before = backend.received().size();

      int m = r.mark();
      r.line(COMPARE);
      String asked = r.await(m, "send them? [y/N]", SLOW);
      assertThat(asked).contains("4 images (2 size × 2 quality)").containsPattern("estimated \\$|cost unknown");
      r.line("n");
      assertThat(r.awaitNextPrompt(m, SLOW)).contains("nothing sent");
      assertThat(backend.received()).hasSize(before);

      m = r.mark();
      r.line(COMPARE);
      r.await(m, "send them? [y/N]", SLOW);
      r.line("y");
      String out = r.awaitNextPrompt(m, SLOW);
      assertThat(out).contains("size=1536x1024 quality=high").contains("contact sheet").contains("compare-a-fox");
    }
    assertThat(backend.received()).hasSize(before + 4);

    List<HistoryEntry> entries;
    try (History history = new History(History.folder(Map.of("XDG_DATA_HOME", dir.resolve("data").toString())),
        Clock.systemDefaultZone(), "check", w -> { })) {
      entries = history.list(History.Query.recent(10));
    }
    assertThat(entries).hasSize(4);
    assertThat(entries).extracting(e -> e.size() + " " + e.quality()).containsExactlyInAnyOrder(
        "1024x1024 low", "1536x1024 low", "1024x1024 high", "1536x1024 high");

    List<Path> sheets;
    try (Stream<Path> files = Files.walk(dir.resolve("imagine-output"))) {
      sheets = files.filter(p -> p.getFileName().toString().startsWith("compare-")).toList();
    }
    assertThat(sheets).hasSize(1);
    Path sheetFile = sheets.get(0);
    assertThat(sheetFile.getParent()).isEqualTo(entries.get(0).files().get(0).getParent());
    BufferedImage sheet = ImageIO.read(sheetFile.toFile());

    // the same cells composed again with the same labels give the sheet pixel for pixel; without labels they do not
    List<BufferedImage> cells = new ArrayList<>();
    for (String quality : List.of("low", "high")) {
      for (String size : List.of("1024x1024", "1536x1024")) {
        HistoryEntry e = entries.stream().filter(x -> x.size().equals(size) && x.quality().equals(quality))
            .findFirst().orElseThrow();
        cells.add(ImageIO.read(e.files().get(0).toFile()));
      }
    }
    BufferedImage expected = ImageGrid.of(cells).columnLabels(List.of("1024x1024", "1536x1024"))
        .rowLabels(List.of("low", "high")).maxWidth(3072).compose();
    assertThat(sheet.getWidth()).isEqualTo(expected.getWidth());
    assertThat(sheet.getHeight()).isEqualTo(expected.getHeight());
    assertThat(samePixels(sheet, expected)).as("the sheet is the labelled grid of the 4 cells").isTrue();
    BufferedImage unlabelled = ImageGrid.of(cells).columns(2).maxWidth(3072).compose();
    assertThat(unlabelled.getWidth() == sheet.getWidth() && samePixels(sheet, unlabelled)).isFalse();

    // the column labels are drawn in the strip above the first row: white text on the dark background
    ImageGrid.Layout layout = ImageGrid.of(cells).columnLabels(List.of("1024x1024", "1536x1024"))
        .rowLabels(List.of("low", "high")).maxWidth(3072).layout();
    int strip = layout.tiles().get(0).y / 2;
    assertThat(inkPixels(sheet, 0, 0, sheet.getWidth(), strip)).as("column label pixels").isGreaterThan(50);
    int left = layout.tiles().get(0).x;
    assertThat(inkPixels(sheet, 0, strip, left, sheet.getHeight() - strip)).as("row label pixels").isGreaterThan(20);
  }

  private static boolean samePixels(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      return false;
    }
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
          return false;
        }
      }
    }
    return true;
  }

  private static int inkPixels(BufferedImage image, int x0, int y0, int w, int h) {
    int n = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) {
          n++;
        }
      }
    }
    return n;
  }
}
