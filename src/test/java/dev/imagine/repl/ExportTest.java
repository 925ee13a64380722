package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagine.jupyter.DebianPython;
import dev.imagine.server.LocalBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /export} after a real session on a piped terminal, against a local backend that wants a
 * key: a planted key that must appear in no export, three images, printed text, a value, a
 * compile error. Each export is then checked by the tool its readers use: nbformat for the
 * notebook, {@code imagine run} for the script, headless Chromium for the gallery.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportTest {
  /** A reseller-style key: no {@code sk-} prefix, so only the literal match keeps it out. */
  static final String KEY = "rk-planted-3xp0rt-k3y";
  static final String PROMPT = "a <b>fox</b> & \"friends\"";
  static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  LocalBackend backend;
  ReplHarness repl;
  Path notebook;
  Path script;
  Path gallery;

  @BeforeAll
  void session(@TempDir Path dir) {
    this.dir = dir;
    backend = LocalBackend.builder().apiKey(KEY).start();
    repl = new ReplHarness(dir, Map.of("IMAGINE_IMAGES", "none", "OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", backend.baseUrl()));
    repl.await(0, "imagine>");
    repl.run("int n = 2");
    repl.run("System.out.println(\"hello from a snippet\")");
    assertThat(repl.run("var foxes = images().prompt(\"" + PROMPT.replace("\"", "\\\"") + "\").model(\"dall-e-2\").size(\"256x256\").n(n).generate()"))
        .contains("2 images");
    repl.run("String pasted = \"" + KEY + "\"");
    repl.run("System.out.println(\"the key is \" + pasted)");
    repl.run("String other = \"sk-an0ther-k3y-0000\"");
    assertThat(repl.run("undefinedThing()")).contains("cannot find symbol");
    repl.run("images().prompt(\"a lighthouse\").model(\"dall-e-2\").size(\"256x256\").generate()");
    notebook = dir.resolve("session.ipynb");
    script = dir.resolve("session.jsh");
    gallery = dir.resolve("session.html");
    for (Path file : List.of(notebook, script, gallery)) {
      assertThat(repl.run("/export " + file)).contains("exported 8 cells to");
    }
  }

  @AfterAll
  void stop() throws Exception {
    repl.close();
    backend.close();
  }

  @Test
  void noExportHoldsTheKey() throws Exception {
    for (Path file : List.of(notebook, script, gallery)) {
      String text = Files.readString(file);
      assertThat(text).as(file.getFileName().toString()).doesNotContain(KEY).doesNotContain("planted")
          .doesNotContain("an0ther");
    }
    assertThat(Files.readString(script)).contains("// (a line with a key or credential is left out of this export)");
  }

  @Test
  void theNotebookHoldsEachCellWithItsOutputsAndOnePngPerImage() throws Exception {
    JsonNode nb = JSON.readTree(notebook.toFile());
    assertThat(nb.get("nbformat").asInt()).isEqualTo(4);
    assertThat(nb.get("nbformat_minor").asInt()).isEqualTo(5);
    assertThat(nb.at("/metadata/kernelspec/language").asText()).isEqualTo("java");
    JsonNode cells = nb.get("cells");
    assertThat(cells).hasSize(9);
    assertThat(source(cells.get(0))).contains("%maven dev.imagine:imagine:").contains("import static dev.imagine.Images.*;")
        .doesNotContain("LocalBackend"); // the session used a remote server
    assertThat(source(cells.get(1))).isEqualTo("int n = 2");
    assertThat(cells.get(1).at("/outputs/0/data/text~1plain").asText()).isEqualTo("n ==> 2");
    assertThat(cells.get(2).at("/outputs/0/name").asText()).isEqualTo("stdout");
    assertThat(cells.get(2).at("/outputs/0/text").asText()).isEqualTo("hello from a snippet\n");
    assertThat(pngs(cells.get(3))).isEqualTo(2);
    assertThat(source(cells.get(4))).isEqualTo("String pasted = \"[redacted]\"");
    assertThat(cells.get(4).at("/outputs/0/data/text~1plain").asText()).isEqualTo("pasted ==> \"[redacted]\"");
    assertThat(cells.get(5).at("/outputs/0/text").asText()).isEqualTo("the key is [redacted]\n");
    assertThat(source(cells.get(6))).isEqualTo("// (a line with a key or credential is left out of this export)");
    assertThat(source(cells.get(7))).startsWith("// failed in the session: ").contains("// undefinedThing()");
    assertThat(pngs(cells.get(8))).isEqualTo(1);
    List<String> ids = new ArrayList<>();
    cells.forEach(c -> ids.add(c.get("id").asText()));
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theNotebookPassesNbformatValidation() throws Exception {
    String python = DebianPython.with("nbformat").orElse(null);
    assumeTrue(python != null, DebianPython.missing("nbformat"));
    dev.imagine.Children.Ended nbformat = dev.imagine.Children.run(new ProcessBuilder(python, "-c", String.join("\n",
        "import sys, nbformat",
        "nb = nbformat.read(sys.argv[1], as_version=4)",
        "nbformat.validate(nb)",
        "print('pngs', sum(1 for c in nb.cells for o in c.get('outputs', []) if 'image/png' in o.get('data', {})))"),
        notebook.toString()), Duration.ofSeconds(90));
    assertThat(nbformat.exitCode()).as(nbformat.output()).isZero();
    assertThat(nbformat.output().strip()).isEqualTo("pngs 3");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theScriptReplaysWithImagineRunToTheSameRequests() throws Exception {
    String text = Files.readString(script);
    assertThat(text).contains("// %%\nint n = 2;\n").contains("// failed in the session: ").contains("// undefinedThing()");
    Path replayOutput = dir.resolve("replay-output");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(repl.env);
    int code = ScriptRunner.run(script, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env, replayOutput);
    assertThat(code).as("exit code; stderr:\n%s", err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("hello from a snippet");
    List<JsonNode> session = requests(repl.outputDir);
    assertThat(session).hasSize(3);
    assertThat(requests(replayOutput)).isEqualTo(session);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theGalleryEscapesPromptsAndEveryImageShowsInChromium() throws Exception {
    String html = Files.readString(gallery);
    assertThat(html).contains("a &lt;b&gt;fox&lt;/b&gt; &amp; &quot;friends&quot;").doesNotContain("<b>fox</b>")
        .contains("dall-e-2").contains("256x256").doesNotContain("<script");
    assertThat(Pattern.compile("<img src=\"data:image/png;base64,").matcher(html).results().count()).isEqualTo(3);

    String chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").filter(c -> Files.isExecutable(Path.of(c)))
        .findFirst().orElse(null);
    assumeTrue(chromium != null, "no chromium here (apt-get install chromium; .ci/run installs it)");
    // A copy with a probe that reports how many images decoded and take room on the page.
    Path probe = dir.resolve("gallery-probe.html");
    Files.writeString(probe, html.replace("</body>", "<script>addEventListener('load', () => {"
        + "const all = [...document.images]; const shown = all.filter(i => i.complete && i.naturalWidth > 0"
        + " && i.getBoundingClientRect().width > 0 && i.getBoundingClientRect().height > 0);"
        + "document.body.setAttribute('data-images', all.length + '/' + shown.length); });</script></body>"));
    ProcessBuilder browser = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=10000", "--dump-dom",
        probe.toUri().toString());
    String said = dev.imagine.Children.run(browser, Duration.ofSeconds(90)).output(); // the DOM and its log
    Matcher m = Pattern.compile("data-images=\"(\\d+)/(\\d+)\"").matcher(said);
    assertThat(m.find()).as("the probe's report; chromium said:\n%s", said).isTrue();
    assertThat(m.group(1)).isEqualTo("3");
    assertThat(m.group(2)).as("images decoded and on screen").isEqualTo("3");
  }

  @Test
  void anExistingFileIsNotReplacedUnlessAskedAndOtherKindsAreRefused() throws Exception {
    byte[] before = Files.readAllBytes(notebook);
    assertThat(repl.run("/export " + notebook)).contains("already exists").contains("--replace");
    assertThat(Files.readAllBytes(notebook)).isEqualTo(before);
    assertThat(repl.run("/export " + notebook + " --replace")).contains("exported");
    assertThat(repl.run("/export " + dir.resolve("session.txt"))).contains(".ipynb, .jsh or .html");
    assertThat(Files.exists(dir.resolve("session.txt"))).isFalse();
  }

  static String source(JsonNode cell) {
    StringBuilder s = new StringBuilder();
    cell.get("source").forEach(line -> s.append(line.asText()));
    return s.toString();
  }

  static long pngs(JsonNode cell) {
    long n = 0;
    for (JsonNode o : cell.get("outputs")) {
      if (o.at("/data/image~1png").isTextual() && !o.at("/data/image~1png").asText().isEmpty()) {
        n++;
      }
    }
    return n;
  }

  /** The request part of every sidecar under an output folder, in the order they were saved. */
  static List<JsonNode> requests(Path outputDir) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(outputDir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        out.add(JSON.readTree(f.toFile()).get("request"));
      }
    }
    return out;
  }
}
