package dev.imagine.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ImageRequest;
import dev.imagine.internal.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's input file: one prompt a line, or one JSON request object a line (JSONL), mixed as
 * you like; blank lines are skipped, so item numbers count the other lines.
 */
public final class BatchInput {
  private BatchInput() {}

  /**
   * Reads the items, each over the shared options of {@code template}.
   *
   * @throws IllegalArgumentException naming the line that is wrong
   */
  public static List<ImageRequest> read(Path file, ImageRequest template) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    List<ImageRequest> items = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        if (line.startsWith("{")) {
          JsonNode object = Json.MAPPER.readTree(line);
          items.add(RequestJson.fromJson(object, template, base));
        } else {
          items.add(template.toBuilder().prompt(line).build());
        }
      } catch (IOException | RuntimeException e) {
        String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + why, e);
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no prompts: write one prompt a line (or one JSON request object a line)");
    }
    return items;
  }
}
