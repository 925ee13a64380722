package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imagine run script.jsh}: same evaluation, no prompt, exit code 1 and the place on the first error. */
class ScriptRunnerTest {
  @TempDir
  Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String script) throws Exception {
    Path file = dir.resolve("script.jsh");
    Files.writeString(file, script);
    return ScriptRunner.run(file, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("XDG_DATA_HOME", dir.resolve("data").toString()),
        dir.resolve("imagine-output"));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aScriptWhoseImagesCannotBeSavedSaysSoOnceAndExitsOne() throws Exception {
    try (dev.imagine.Mounts full = dev.imagine.Mounts.full(dir.resolve("imagine-output"))) {
      int code = run("""
          var r = images().prompt("a harbour on a full disk").n(2).generate();
          r.image().save(Path.of("%s"));
          """.formatted(dir.resolve("own.png")));
      assertThat(code).as(err()).isEqualTo(1);
      assertThat(err().split("could not auto-save", -1)).as(err()).hasSize(2);
      assertThat(err()).contains("script.jsh: could not auto-save image 1 under " + dir.resolve("imagine-output").toAbsolutePath()
          + ": the disk is full").contains("image.save(path)").contains("IMAGINE_OUTPUT");
      assertThat(dir.resolve("own.png")).as("the script's own save").isNotEmptyFile();
    }
  }

  @Test
  void successfulScriptExitsZeroSavesImagesAndPrintsSummaries() throws Exception {
    int code = run("""
        // a script as a user writes it
        var r = images().prompt("a quiet harbour").generate();
        System.out.println("images: " + r.images().size());
        r
        /exit
        """);
    assertThat(code).as(err()).isZero();
    assertThat(out()).contains("images: 1").contains("✓ 1 image · gpt-image-2 · 1024x1024")
        .contains("001-a-quiet-harbour.png").doesNotContain("▀"); // not a terminal: text only
    assertThat(err()).contains("No OPENAI_API_KEY set: using the embedded local backend");
    try (Stream<Path> walk = Files.walk(dir.resolve("imagine-output"))) {
      assertThat(walk.filter(p -> p.toString().endsWith(".png"))).hasSize(1);
    }
  }

  @Test
  void compileErrorExitsOneWithTheLineAndStopsThere() throws Exception {
    int code = run("""
        int a = 1;

        int b = a + missing;
        System.out.println("never printed");
        """);
    assertThat(code).isEqualTo(1);
    assertThat(err()).contains("script.jsh:3: error: cannot find symbol").contains("int b = a + missing;")
        .contains("            ^");
    assertThat(out()).doesNotContain("never printed");
  }

  @Test
  void exceptionExitsOneWithItsMessageAndLine() throws Exception {
    int code = run("""
        System.out.println("before");
        if (true) throw new IllegalStateException("boom");
        System.out.println("after");
        """);
    assertThat(code).isEqualTo(1);
    assertThat(out()).contains("before").doesNotContain("after");
    assertThat(err()).contains("script.jsh:2:").contains("IllegalStateException: boom");
  }

  @Test
  void apiErrorInAScriptNamesTheServerMessageAndRequestId() throws Exception {
    int code = run("images().header(\"x-imagine-fault\", \"low-balance\").prompt(\"x\").generate();\n");
    assertThat(code).isEqualTo(1);
    assertThat(err()).contains("script.jsh:1:").contains("server said:").contains("request id:");
  }

  @Test
  void missingScriptIsAUsageError() {
    int code = ScriptRunner.run(dir.resolve("nope.jsh"), new PrintStream(out), new PrintStream(err), Map.of(), dir);
    assertThat(code).isEqualTo(2);
    assertThat(err()).contains("cannot read");
  }
}
