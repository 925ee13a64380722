package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One REPL session on a piped JLine terminal, no key set (so the embedded local backend), driven
 * key by key the way a user types.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplSessionTest {
  Path dir;
  ReplHarness repl;

  @BeforeAll
  void start(@TempDir Path dir) {
    this.dir = dir;
    repl = new ReplHarness(dir, Map.of("IMAGINE_IMAGES", "blocks"));
    repl.await(0, "imagine>");
    repl.awaitJava();
  }

  @BeforeEach
  void freshLine() {
    repl.clearLine(); // a failed test must not leave half a snippet for the next one
  }

  @AfterAll
  void stop() throws Exception {
    repl.close();
  }

  @Test
  void bannerSaysPlainlyThatTheLocalBackendIsUsed() {
    assertThat(ReplHarness.plain(repl.raw()))
        .contains("No OPENAI_API_KEY set: using the embedded local backend (offline, test images)");
  }

  @Test
  void severalSnippetsOnOneLineAllRunAndAStatementNeedsNoSemicolon() {
    String out = repl.run("int a = 1; int b = 2");
    assertThat(out).contains("a ==> 1").contains("b ==> 2");
    assertThat(repl.run("a + b")).contains("==> 3");
    assertThat(repl.run("String s = \"x\" + a")).contains("s ==> \"x1\"");
  }

  @Test
  void unfinishedSnippetContinuesOnTheNextLine() {
    int m = repl.mark();
    repl.line("int twice(int x) {");
    repl.await(m, Repl.CONTINUATION.strip());
    repl.line("  return 2 * x;");
    repl.line("}");
    assertThat(repl.awaitNextPrompt(m)).contains("created method twice(int)");
    assertThat(repl.run("twice(21)")).contains("==> 42");
  }

  @Test
  void compileErrorShowsTheMessageAndACaretUnderThePlace() {
    String out = repl.run("int n = \"text\";");
    assertThat(out).contains("error: incompatible types: java.lang.String cannot be converted to int");
    String[] lines = out.split("\n");
    int source = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals("  int n = \"text\";")) {
        source = i;
      }
    }
    assertThat(source).as("the offending line is shown:\n" + out).isGreaterThan(0);
    assertThat(lines[source + 1].indexOf('^')).isEqualTo(lines[source].indexOf('"'));
  }

  @Test
  void compileErrorInTheSecondSnippetOfALinePointsIntoThatSnippet() {
    String out = repl.run("int ok = 1; int bad = undefinedName;");
    assertThat(out).contains("ok ==> 1").contains("cannot find symbol");
    String shown = "  int ok = 1; int bad = undefinedName;";
    assertThat(out).contains(shown);
    String caretLine = out.substring(out.indexOf(shown) + shown.length() + 1).lines().findFirst().orElseThrow();
    assertThat(caretLine.indexOf('^')).isEqualTo(shown.indexOf("undefinedName"));
  }

  @Test
  void tabCompletesDslMethodsFromJShell() {
    int m = repl.mark();
    repl.type("images().pro\t");
    repl.await(m, "images().prompt(");
    repl.line("\"a cat\").request().prompt()");
    assertThat(repl.awaitNextPrompt(m)).contains("==> \"a cat\"");
  }

  @Test
  void tabCompletesKnownValuesInsideAStringArgument() {
    int m = repl.mark();
    repl.type("images().size(\"153\t");
    repl.await(m, "images().size(\"1536x1024\"");
    repl.line(").request().size()");
    assertThat(repl.awaitNextPrompt(m)).contains("==> \"1536x1024\"");
  }

  @Test
  void apiErrorShowsTheServersMessageAndTheRequestId() {
    String out = repl.run("images().header(\"x-imagine-fault\", \"low-balance\").prompt(\"a fox\").generate()");
    assertThat(out).contains("PermissionDeniedException").contains("403")
        .contains("server said: 账户余额过低").containsPattern("request id: +req_\\w+")
        .doesNotContain("at dev.imagine");
    assertThat(repl.run("/trace")).contains("PermissionDeniedException").contains("at ");
  }

  @Test
  void generationIsSummarisedDrawnAndSavedWithASidecar() throws Exception {
    String out = repl.run("var r = images().prompt(\"a red fox in snow\").generate()");
    assertThat(out).containsPattern("✓ 1 image · gpt-image-2 · 1024x1024 · \\d+\\.\\d s · [\\d,]+ tokens · \\$\\d+\\.\\d+ · #\\d+ · saved ")
        .containsPattern("\\d{3}-a-red-fox-in-snow\\.png").contains("▀");
    // other tests of this shared session may have saved images first
    java.util.regex.Matcher number = java.util.regex.Pattern.compile("(\\d{3})-a-red-fox-in-snow\\.png").matcher(out);
    assertThat(number.find()).isTrue();
    Path png;
    try (Stream<Path> files = Files.walk(repl.outputDir)) {
      png = files.filter(p -> p.getFileName().toString().endsWith("-a-red-fox-in-snow.png")).findFirst().orElseThrow();
    }
    assertThat(Files.size(png)).isGreaterThan(1000);
    String sidecar = Files.readString(png.resolveSibling(png.getFileName().toString().replace(".png", ".json")));
    assertThat(sidecar).contains("\"prompt\" : \"a red fox in snow\"").contains("\"request_id\"").contains("\"usage\"")
        .doesNotContain("b64_json").doesNotContainPattern("[A-Za-z0-9+/]{200,}").doesNotContain("Bearer");
    assertThat(repl.run("/images")).contains(png.getFileName().toString()).contains("1024x1024");
    Path copy = dir.resolve("copy.png");
    repl.run("/save " + Integer.parseInt(number.group(1)) + " " + copy);
    assertThat(copy).hasSameBinaryContentAs(png);
  }

  @Test
  void aBackendSwitchKeepsProgressAndAutoSaveOnTheNewClient() throws Exception {
    assertThat(repl.run("/backend local")).contains("Using the embedded local backend");
    repl.started.clear();
    String out = repl.run("images().prompt(\"after the switch\").generate()");
    assertThat(out).contains("saved ").contains("-after-the-switch.png");
    assertThat(repl.started.poll(5, TimeUnit.SECONDS).prompt()).isEqualTo("after the switch");
    assertThat(repl.run("/images")).contains("-after-the-switch.png");
  }

  @Test
  void ctrlCDuringASlowGenerationCancelsItAndReturnsToThePrompt() throws Exception {
    repl.failures.clear(); // the session is shared with other tests
    int m = repl.mark();
    repl.line("images().header(\"x-imagine-latency-ms\", \"5000\").prompt(\"slow\").generate()");
    Thread.sleep(800); // the request is in flight on the server
    long pressed = System.nanoTime();
    repl.type("\u0003");
    String out = repl.awaitNextPrompt(m);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pressed);
    assertThat(out).contains("cancelled");
    assertThat(took).as("back at the prompt within").isLessThan(2000);
    assertThat(repl.failures.poll(2, TimeUnit.SECONDS)).as("the request itself was aborted")
        .isInstanceOf(CancellationException.class);
    assertThat(repl.run("1 + 1")).contains("==> 2"); // the session goes on
  }

  @Test
  void ctrlCStopsABusyLoopForRealAndTheStateStaysUsable() throws Exception {
    repl.run("long spins = 0");
    int m = repl.mark();
    repl.line("{ System.out.println(\"spin\" + \"ning\"); while (true) { spins++; } }");
    repl.await(m, "spinning");
    Thread.sleep(300);
    repl.type("\u0003");
    String out = repl.awaitNextPrompt(m);
    assertThat(out).contains("cancelled: stopped at a loop: the snippet ignored the interrupt");
    assertThat(snippetThreadsStillAlive()).as("snippet threads still alive after Ctrl-C").isZero();
    long spins = Long.parseLong(repl.run("spins").replaceAll("(?s).*==> (\\d+).*", "$1"));
    assertThat(spins).as("the loop ran before it was stopped").isPositive();
    Thread.sleep(200);
    assertThat(repl.run("spins")).as("and does not run any more").contains("==> " + spins);
    assertThat(repl.run("spins + 1")).contains("==> " + (spins + 1));
  }

  @Test
  void ctrlCStopsALoopThatSwallowsTheInterruptAndAThreadItStarted() throws Exception {
    int m = repl.mark();
    repl.line("Thread helper = new Thread(() -> { while (true) { } }, \"busy-helper\"); helper.start(); "
        + "{ System.out.println(\"loop\" + \"ing\"); while (true) { try { Thread.sleep(20); } catch (InterruptedException e) { } } }");
    repl.await(m, "looping");
    Thread.sleep(300);
    repl.type("\u0003");
    assertThat(repl.awaitNextPrompt(m)).contains("stopped at a loop");
    assertThat(snippetThreadsStillAlive()).as("snippet threads still alive after Ctrl-C").isZero();
    assertThat(repl.run("helper.isAlive()")).contains("==> false");
  }

  /** Waits (bounded) for the snippet's threads to end; returns how many are left. */
  private static long snippetThreadsStillAlive() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    long alive;
    do {
      alive = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("imagine-snippet") || t.getName().startsWith("busy-helper"))
          .count();
      if (alive > 0) {
        Thread.sleep(20);
      }
    } while (alive > 0 && System.nanoTime() < deadline);
    return alive;
  }

  @Test
  void unknownCommandSuggestsTheClosestOne() {
    assertThat(repl.run("/imags")).contains("Unknown command /imags. Try /help. Did you mean /images?");
    assertThat(repl.run("/frobnicate")).contains("Unknown command /frobnicate. Try /help.");
  }

  @Test
  void helpListsEveryCommandOfTheTableAndPrefixesRunCommands() {
    String help = repl.run("/help");
    ReplCommands.TABLE.commands().forEach(c -> assertThat(help).contains(c.usage()).contains(c.help()));
    assertThat(repl.run("/conf")).contains("API key:  not set");
  }

  @Test
  void docCommandExplainsADslMethod() {
    assertThat(repl.run("/doc images().size")).contains("ImageGeneration.size(String size)").contains("WIDTHxHEIGHT");
  }

  @Test
  void configAndBackendNeverShowAKey() throws Exception {
    String config = repl.run("/config");
    assertThat(config).contains("API key:  not set").contains("images:   blocks (IMAGINE_IMAGES)")
        .contains("embedded local backend");

    // A second REPL with a key set, against a backend that wants it: the key is used, never shown.
    String key = "rk-planted-c0nf1g-k3y-9137"; // no sk- prefix: only the literal value can catch it
    try (dev.imagine.server.LocalBackend keyed = dev.imagine.server.LocalBackend.builder().apiKey(key).start();
         ReplHarness withKey = new ReplHarness(dir.resolve("with-key"), Map.of("IMAGINE_IMAGES", "none",
             "OPENAI_API_KEY", key, "OPENAI_BASE_URL", keyed.baseUrl()))) {
      withKey.await(0, "imagine>");
      assertThat(withKey.run("/config")).contains("API key:  set (OPENAI_API_KEY)").contains("remote: " + keyed.baseUrl());
      assertThat(withKey.run("/backend")).contains("remote: " + keyed.baseUrl()).contains("key set");
      assertThat(withKey.run("/backend local")).contains("embedded local backend");
      assertThat(withKey.run("/backend remote")).contains(keyed.baseUrl());
      assertThat(withKey.run("/backend remote " + keyed.baseUrl())).contains(keyed.baseUrl());
      assertThat(withKey.run("/config")).contains("API key:  set (OPENAI_API_KEY)");
      assertThat(withKey.raw()).as("the whole screen, escapes and all").doesNotContain(key).doesNotContain("c0nf1g");
    }
  }

  @Test
  void historyKeepsLinesButNeverOnesWithKeys() throws Exception {
    repl.run("String harmless = \"kept\"");
    repl.run("var c = ImagesClient.builder().apiKey(\"sk-test-0123456789abcdef\").build()");
    repl.run("String k = \"sk-proj-abcdefghijklmnop\"");
    Path history = Repl.historyFile(repl.env);
    assertThat(history).exists();
    String text = Files.readString(history);
    assertThat(text).contains("String harmless").doesNotContain("sk-").doesNotContain("apiKey");
  }

  @Test
  void snippetOutputAndVarsAreShown() {
    assertThat(repl.run("System.out.println(\"hello from a snippet\")")).contains("hello from a snippet");
    repl.run("int counted = 7");
    assertThat(repl.run("/vars")).contains("int counted = 7");
    assertThat(repl.run("/imports")).contains("import static dev.imagine.Images.*");
  }
}
