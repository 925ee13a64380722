package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.internal.metadata.EmbeddedMetadata;
import dev.imagine.server.LocalBackend;
import dev.imagine.server.ReceivedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prototyping loop over a real terminal: generations go into the history database, a new
 * REPL on the same data folder finds them, {@code /rerun} sends the changed request (the
 * backend's own record shows it), {@code edit(last())} sends the last image, and every saved PNG
 * carries its request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplHistoryTest {
  static final String KEY = "sk-test-loop";
  static final Pattern NUMBER = Pattern.compile("· #(\\d+) ·");
  @TempDir static Path dir;
  LocalBackend backend;
  Map<String, String> env;

  @BeforeAll
  void startBackend() {
    backend = LocalBackend.builder().apiKey(KEY).start();
    // a cold JVM on a busy machine can take longer for its first request than a prompt wait allows
    try (ImagesClient warm = ImagesClient.builder().baseUrl(backend.baseUrl()).apiKey(KEY).build()) {
      warm.images().prompt("warm-up").generate();
    }
    env = Map.of("IMAGINE_IMAGES", "none", "OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", backend.baseUrl());
  }

  @AfterAll
  void stopBackend() {
    backend.close();
  }

  static final Duration SLOW = Duration.ofSeconds(60);

  /** Runs a line, waiting generously: a busy shared machine can make a generation slow. */
  static String run(ReplHarness r, String line) {
    return r.run(line, SLOW);
  }

  /** A REPL whose JShell and backend have started (bounded, generously: the machine is shared). */
  ReplHarness repl() {
    ReplHarness r = new ReplHarness(dir, env);
    r.await(0, "imagine>", SLOW);
    assertThat(run(r, "1 + 1")).contains("==> 2");
    return r;
  }

  static long number(String out) {
    Matcher m = NUMBER.matcher(out);
    assertThat(m.find()).as("the summary names the history number:\n" + out).isTrue();
    return Long.parseLong(m.group(1));
  }

  ReceivedRequest lastReceived() {
    List<ReceivedRequest> all = backend.received();
    return all.get(all.size() - 1);
  }

  long fox;

  @Test
  @Order(1)
  void historySurvivesARestartAndSearchesPrompts() throws Exception {
    try (ReplHarness first = repl()) {
      fox = number(run(first, "images().prompt(\"a red fox in snow\").model(\"gpt-image-1\").generate()"));
      String whaleOut = run(first, "images().prompt(\"a blue whale\").model(\"dall-e-3\").generate()");
      long whale = number(whaleOut);
      // the warning reaches the REPL's screen (and its session log), not a stderr that bypasses the prompt
      assertThat(whaleOut).contains("dall-e-3 was shut down by OpenAI");
      assertThat(whale).isEqualTo(fox + 1);
    }
    try (ReplHarness second = repl()) {
      String found = run(second, "/history fox");
      assertThat(found).contains("#" + fox).contains("a red fox in snow").doesNotContain("whale");
      String all = run(second, "/history");
      assertThat(all.indexOf("a blue whale")).as("newest first").isLessThan(all.indexOf("a red fox in snow"));
      assertThat(run(second, "/history --model dall-e-3")).contains("a blue whale").doesNotContain("fox");
      assertThat(run(second, "/history --today nothing-like-this")).contains("nothing in the history matches");
      assertThat(run(second, "history(" + fox + ").request().prompt()")).contains("==> \"a red fox in snow\"");
    }
    assertThat(Files.readString(dir.resolve("data/imagine/history.db"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("a red fox in snow").doesNotContain(KEY).doesNotContain("Bearer").doesNotContain("b64_json");
  }

  @Test
  @Order(2)
  void rerunSendsExactlyTheChangedRequest() throws Exception {
    try (ReplHarness r = repl()) {
      String out = run(r, "/rerun " + fox + " size=1536x1024 quality=high");
      long again = number(out);
      assertThat(again).isGreaterThan(fox);
      assertThat(out).contains("1536x1024");
      ReceivedRequest sent = lastReceived();
      assertThat(sent.endpoint()).isEqualTo("generations");
      assertThat(sent.prompt()).isEqualTo("a red fox in snow");
      assertThat(sent.size()).isEqualTo("1536x1024");
      assertThat(sent.quality()).isEqualTo("high");
      assertThat(sent.model()).isEqualTo("gpt-image-1");
      assertThat(sent.n()).isEqualTo(1);
      assertThat(run(r, "/rerun " + fox + " colour=red")).contains("unknown field 'colour'");
      assertThat(run(r, "/rerun 999999")).contains("no generation #999999");
    }
  }

  @Test
  @Order(3)
  void editOfLastSendsTheNewestImage() throws Exception {
    try (ReplHarness r = repl()) {
      run(r, "images().prompt(\"a plain cup\").generate()");
      Path newest = newestPng();
      String out = run(r, "images().edit(last()).prompt(\"add a hat\").generate()");
      assertThat(out).contains("✓ 1 image");
      ReceivedRequest sent = lastReceived();
      assertThat(sent.endpoint()).isEqualTo("edits");
      assertThat(sent.imageSha256()).containsExactly(sha256(Files.readAllBytes(newest)));
      assertThat(run(r, "/history hat")).contains("edit: add a hat");
      // the history kept the edited image, so the edit can be sent again, changed
      long edit = number(out);
      String again = run(r, "/rerun " + edit + " prompt=\"add a red hat\"");
      assertThat(again).contains("✓ 1 image");
      ReceivedRequest resent = lastReceived();
      assertThat(resent.endpoint()).isEqualTo("edits");
      assertThat(resent.prompt()).isEqualTo("add a red hat");
      assertThat(resent.imageSha256()).isEqualTo(sent.imageSha256());
      // a kept input that has since gone says so
      try (var kept = Files.list(dir.resolve("data/imagine/inputs"))) {
        for (Path p : kept.toList()) {
          Files.delete(p);
        }
      }
      assertThat(run(r, "/rerun " + edit)).contains("input image of #" + edit + " is gone");
    }
  }

  @Test
  @Order(4)
  void everySavedPngCarriesItsRequestAndLoadGivesItBack() throws Exception {
    try (ReplHarness r = repl()) {
      run(r, "images().prompt(\"a lighthouse, at dusk\").model(\"gpt-image-1.5\").size(\"1024x1536\").quality(\"low\").n(2)"
          + ".generate()");
      Path png = newestPng();
      assertThat(EmbeddedMetadata.read(Files.readAllBytes(png))).get().asString()
          .contains("\"prompt\":\"a lighthouse, at dusk\"").doesNotContain(KEY);
      ImageRequest expected = ImageRequest.builder().prompt("a lighthouse, at dusk").model("gpt-image-1.5")
          .size("1024x1536").quality("low").n(2).build();
      assertThat(ImageRequest.fromImage(png)).isEqualTo(expected);
      String out = run(r, "/load " + png);
      assertThat(out).contains("loaded ==>").contains("1024x1536").contains("quality=low");
      assertThat(run(r, "loaded.request().equals(ImageRequest.builder().prompt(\"a lighthouse, at dusk\")"
          + ".model(\"gpt-image-1.5\").size(\"1024x1536\").quality(\"low\").n(2).build())")).contains("==> true");
      assertThat(run(r, "/load " + dir.resolve("nothing.png"))).contains("cannot read");
    }
  }

  Path newestPng() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("imagine-output"))) {
      return files.filter(p -> p.toString().endsWith(".png"))
          .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).orElseThrow();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
