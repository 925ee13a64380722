package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagine.jupyter.DebianPython;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code imagine export-notebook script.jsh out.ipynb}: a script run on the local backend, saved as a notebook. */
class ExportNotebookTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int export(Path script, Path notebook) {
    Map<String, String> env = Map.of("IMAGINE_IMAGES", "none", "XDG_CONFIG_HOME", dir.resolve("config").toString());
    return ScriptRunner.exportNotebook(script, notebook, false, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env, dir.resolve("imagine-output"));
  }

  static String source(JsonNode cell) {
    StringBuilder s = new StringBuilder();
    cell.get("source").forEach(line -> s.append(line.asText()));
    return s.toString();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void eachPercentSectionIsACellWithWhatItPrintedAndItsImages() throws Exception {
    Path script = dir.resolve("foxes.jsh");
    Files.writeString(script, String.join("\n",
        "// a header before the first cell is not a cell",
        "// %%",
        "System.out.println(\"making foxes\");",
        "var r = images().prompt(\"two foxes\").size(\"1024x1024\").quality(\"low\").n(2).generate();",
        "// %% second",
        "int x = 40;",
        "int y = x + 2;",
        ""));
    Path notebook = dir.resolve("foxes.ipynb");
    assertThat(export(script, notebook)).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("wrote 2 cells to " + notebook);

    JsonNode cells = JSON.readTree(notebook.toFile()).get("cells");
    assertThat(cells).hasSize(3);
    assertThat(source(cells.get(0))).contains("%maven dev.imagine:imagine:").contains("LocalBackend.start()");
    assertThat(source(cells.get(1))).startsWith("System.out.println(\"making foxes\");").contains("n(2).generate();");
    JsonNode first = cells.get(1).get("outputs");
    assertThat(first.get(0).get("text").asText()).isEqualTo("making foxes\n");
    assertThat(ExportTest.pngs(cells.get(1))).isEqualTo(2);
    assertThat(source(cells.get(2))).isEqualTo("int x = 40;\nint y = x + 2;");
    assertThat(cells.get(2).findValues("text/plain").stream().map(JsonNode::asText)).containsExactly("x ==> 40", "y ==> 42");

    String python = DebianPython.with("nbformat").orElse(null);
    assumeTrue(python != null, DebianPython.missing("nbformat"));
    dev.imagine.Children.Ended nbformat = dev.imagine.Children.run(new ProcessBuilder(python, "-c",
        "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", notebook.toString()),
        java.time.Duration.ofSeconds(90));
    assertThat(nbformat.exitCode()).as(nbformat.output()).isZero();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aFailingScriptStillGivesTheNotebookUpToTheFailureAndItsExitCode() throws Exception {
    Path script = dir.resolve("broken.jsh");
    Files.writeString(script, "int a = 1;\nnoSuchMethod();\nint b = 2;\n");
    Path notebook = dir.resolve("broken.ipynb");
    assertThat(export(script, notebook)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the failed cell is kept as comments");
    JsonNode cells = JSON.readTree(notebook.toFile()).get("cells");
    assertThat(cells).hasSize(3);
    assertThat(source(cells.get(1))).isEqualTo("int a = 1;");
    assertThat(source(cells.get(2))).startsWith("// failed in the session: ").contains("// noSuchMethod();");

    assertThat(export(script, notebook)).as("the notebook exists now").isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("already exists").contains("--replace");
  }
}
