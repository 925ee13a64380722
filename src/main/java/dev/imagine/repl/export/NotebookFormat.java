package dev.imagine.repl.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.GeneratedImage;
import dev.imagine.internal.images.ImageValues;
import dev.imagine.internal.images.NotebookImages;
import dev.imagine.repl.StartupFile;
import dev.imagine.repl.export.SessionLog.Cell;
import dev.imagine.repl.export.SessionLog.Images;
import dev.imagine.repl.export.SessionLog.Output;
import dev.imagine.repl.export.SessionLog.Stream;
import dev.imagine.repl.export.SessionLog.Value;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A session as a Jupyter notebook (nbformat 4.5) for JJava, the Java kernel: a first cell that
 * adds imagine and the REPL's imports, then one code cell per session cell with its outputs:
 * printed text as {@code stream}, values as {@code text/plain}, each image as one
 * {@code image/png} (PNG as made, other formats re-encoded). A cell that failed is kept as
 * comments, so running the notebook does not stop there.
 */
final class NotebookFormat {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private NotebookFormat() {}

  static byte[] write(List<Cell> cells, Redactor redactor, Exports.Setup setup) {
    ObjectNode nb = NODES.objectNode();
    ArrayNode out = nb.putArray("cells");
    out.add(code("setup", setupCode(setup), null, NODES.arrayNode()));
    int count = 0;
    for (Cell cell : cells) {
      count++;
      ArrayNode outputs = NODES.arrayNode();
      for (Output o : cell.outputs()) {
        add(outputs, o, redactor, count);
      }
      String source = cell.failed() ? ScriptFormat.commentedOut(redactor.code(cell.source()), ScriptFormat.failureLine(cell))
          : redactor.code(cell.source());
      out.add(code("cell-" + count, source, count, outputs));
    }
    ObjectNode meta = nb.putObject("metadata");
    ObjectNode kernel = meta.putObject("kernelspec");
    kernel.put("name", "java").put("display_name", "Java").put("language", "java");
    meta.putObject("language_info").put("name", "java").put("file_extension", ".jshell")
        .put("mimetype", "text/x-java-source");
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    try {
      return JSON.writeValueAsBytes(nb);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of plain nodes always writes
    }
  }

  /** The dependency, the REPL's imports, and the local backend when the session used it. */
  static String setupCode(Exports.Setup setup) {
    StringBuilder code = new StringBuilder()
        .append("// imagine for JJava; a local build instead: %jars path/to/imagine-").append(setup.version())
        .append("-all.jar\n")
        .append("%maven dev.imagine:imagine:").append(setup.version()).append('\n');
    for (String line : StartupFile.text().lines().toList()) {
      if (line.startsWith("import") && !line.contains("repl.Display")) { // Display draws in a terminal
        code.append(line).append('\n');
      }
    }
    if (setup.localBackend()) {
      code.append("// the session used the embedded local backend (offline test images):\n")
          .append("var imagineBackend = dev.imagine.server.LocalBackend.start();\n")
          .append("Images.setDefaultClient(ImagesClient.builder().baseUrl(imagineBackend.baseUrl()).build());\n");
    }
    return code.toString().stripTrailing();
  }

  private static void add(ArrayNode outputs, Output o, Redactor redactor, int count) {
    if (o instanceof Stream s) {
      outputs.addObject().put("output_type", "stream").put("name", s.name()).put("text", redactor.text(s.text()));
    } else if (o instanceof Value v) {
      ObjectNode result = outputs.addObject().put("output_type", "execute_result");
      result.putObject("data").put("text/plain", redactor.text(v.text()));
      result.putObject("metadata");
      result.put("execution_count", count);
    } else if (o instanceof Images i) {
      for (GeneratedImage image : ImageValues.imagesOf(i.value())) {
        ObjectNode shown = outputs.addObject().put("output_type", "display_data");
        ObjectNode data = shown.putObject("data");
        try {
          data.put("image/png", NotebookImages.asPng(List.of(image)).base64());
        } catch (RuntimeException e) {
          data.put("text/plain", redactor.text(image + " (not shown: " + e.getMessage() + ")"));
          shown.putObject("metadata");
          continue;
        }
        data.put("text/plain", redactor.text(image.toString()));
        shown.putObject("metadata").putObject("image/png").put("width", image.width()).put("height", image.height());
      }
    }
  }

  private static ObjectNode code(String id, String source, Integer count, ArrayNode outputs) {
    ObjectNode cell = NODES.objectNode().put("cell_type", "code").put("id", id);
    cell.putObject("metadata");
    ArrayNode lines = cell.putArray("source");
    List<String> parts = source.lines().collect(Collectors.toList());
    for (int i = 0; i < parts.size(); i++) {
      lines.add(i < parts.size() - 1 ? parts.get(i) + "\n" : parts.get(i));
    }
    if (count == null) {
      cell.putNull("execution_count");
    } else {
      cell.put("execution_count", count);
    }
    cell.set("outputs", outputs);
    return cell;
  }
}
