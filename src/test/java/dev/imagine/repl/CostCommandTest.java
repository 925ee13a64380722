package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.repl.history.History.Totals;
import dev.imagine.server.LocalBackend;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /cost} over a real terminal: this session's totals and today's, across a restart. */
class CostCommandTest {
  static final Duration SLOW = Duration.ofSeconds(60);

  @Test
  void costShowsThisSessionAndTodayByModel(@TempDir Path dir) throws Exception {
    try (LocalBackend server = LocalBackend.start()) {
      Map<String, String> env = Map.of("IMAGINE_IMAGES", "none", "OPENAI_BASE_URL", server.baseUrl(),
          "OPENAI_API_KEY", "sk-unused");
      try (ReplHarness first = new ReplHarness(dir, env)) {
        first.await(0, "imagine>", SLOW);
        assertThat(first.run("images().prompt(\"a fox\").generate()", SLOW)).contains("· #1 ·");
        assertThat(first.run("/cost", SLOW)).contains("this session: 1 generation · 1 image · $")
            .containsPattern("gpt-image-2 +1 generation +1 image +\\$0\\.\\d+");
      }
      try (ReplHarness second = new ReplHarness(dir, env)) {
        second.await(0, "imagine>", SLOW);
        assertThat(second.run("images().prompt(\"two owls\").n(2).generate()", SLOW)).contains("· #2 ·");
        String cost = second.run("/cost", SLOW);
        assertThat(cost).contains("this session: 1 generation · 2 images · $")
            .contains("today: 2 generations · 3 images · $")
            .containsPattern("gpt-image-2 +2 generations +3 images +\\$0\\.\\d+");
      }
    }
  }

  @Test
  void aModelWithoutAPriceSaysCostUnknown() {
    String table = CostLines.table("today", List.of(
        new Totals("gpt-image-2", 2, 3, new BigDecimal("0.126"), 0),
        new Totals("my-model", 1, 1, BigDecimal.ZERO, 1)));
    assertThat(table).startsWith("  today: 3 generations · 4 images · $0.13 + 1 unpriced\n")
        .containsPattern("gpt-image-2 +2 generations +3 images +\\$0\\.13\n")
        .containsPattern("my-model +1 generation +1 image +cost unknown\n");
    assertThat(CostLines.table("this session", List.of())).isEqualTo("  this session: no generations\n");
  }
}
