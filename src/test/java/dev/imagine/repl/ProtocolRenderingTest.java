package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.server.LocalBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation drawn in each protocol that {@code IMAGINE_IMAGES} can force, through a server that
 * wants a key (the REPL's remote mode), and saved with a sidecar that never holds that key.
 */
class ProtocolRenderingTest {
  static final String KEY = "sk-test-fake-SECRET-7";
  static LocalBackend server;

  @BeforeAll
  static void startServer() {
    server = LocalBackend.builder().apiKey(KEY).start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "kitty,  '\u001b_G'",
      "iterm,  '\u001b]1337;File='",
      "sixel,  '\u001bP'",
      "blocks, '▀'"})
  void generationIsDrawnInTheForcedProtocolAndSavedWithoutTheKey(String protocol, String prefix, @TempDir Path dir)
      throws Exception {
    try (ReplHarness repl = new ReplHarness(dir, Map.of("IMAGINE_IMAGES", protocol,
        "OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", server.baseUrl()))) {
      repl.await(0, "imagine>");
      assertThat(ReplHarness.plain(repl.raw())).contains("Using " + server.baseUrl() + " (OPENAI_API_KEY set)");
      int m = repl.mark();
      repl.line("images().prompt(\"a lighthouse at dusk\").size(\"1536x1024\").generate()");
      String raw = repl.awaitRaw(m, prefix, Duration.ofSeconds(20));
      String summary = repl.await(m, "saved ");
      assertThat(summary).contains("✓ 1 image · gpt-image-2 · 1536x1024");
      assertThat(raw.indexOf(prefix)).as("the drawing follows the summary").isGreaterThan(raw.indexOf("✓ 1 image"));
      repl.awaitNextPrompt(m);

      List<Path> files;
      try (Stream<Path> walk = Files.walk(repl.outputDir)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      assertThat(files).extracting(p -> p.getFileName().toString())
          .containsExactly("001-a-lighthouse-at-dusk.json", "001-a-lighthouse-at-dusk.png");
      String sidecar = Files.readString(files.get(0));
      assertThat(sidecar).contains("\"size\" : \"1536x1024\"").doesNotContain(KEY).doesNotContain("sk-")
          .doesNotContain("b64_json");
      assertThat(repl.run("/config")).contains("API key:  set").doesNotContain(KEY);
    }
  }
}
