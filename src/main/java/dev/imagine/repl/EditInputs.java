package dev.imagine.repl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ImageInput;
import dev.imagine.ImageRequest;
import dev.imagine.internal.Digests;
import dev.imagine.internal.ImageFormats;
import dev.imagine.internal.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An edit's input images as the history keeps them, so that {@code /rerun} can send the edit again:
 * image bytes are copied once into the history's {@code inputs/} folder under their SHA-256 (the
 * same picture edited ten times is kept once), a plain URL and a file id are kept as they are.
 * A URL with a query is not kept: the query may be a signature, a credential of its own.
 */
final class EditInputs {
  static final String IMAGES = "edit_inputs";
  static final String MASK = "edit_mask";

  private EditInputs() {}

  /** Adds what the history needs to send {@code request}'s images again to its record {@code req}. */
  static void keep(ImageRequest request, Path historyFolder, Map<String, Object> req) {
    if (request.images().isEmpty()) {
      return;
    }
    List<Map<String, String>> images = new ArrayList<>();
    request.images().forEach(i -> images.add(keep(i, historyFolder)));
    req.put(IMAGES, images);
    if (request.mask() != null) {
      req.put(MASK, keep(request.mask(), historyFolder));
    }
  }

  private static Map<String, String> keep(ImageInput input, Path historyFolder) {
    Map<String, String> kept = new LinkedHashMap<>();
    if (input.fileId() != null) {
      kept.put("file_id", input.fileId());
    } else if (input.url() != null && !input.url().regionMatches(true, 0, "data:", 0, 5)) {
      if (URI.create(input.url().replace(" ", "%20")).getRawQuery() == null) {
        kept.put("url", input.url());
      } else {
        kept.put("not_kept", "its URL has a query, which may be a signature");
      }
    } else {
      try {
        byte[] bytes = input.bytes();
        String ext = ImageFormats.extension(ImageFormats.mimeType(bytes));
        Path file = historyFolder.resolve("inputs").resolve(Digests.sha256(bytes) + "." + ext);
        if (!Files.exists(file)) {
          Files.createDirectories(file.getParent());
          try {
            AtomicFiles.write(file, bytes);
          } catch (UncheckedIOException e) {
            if (!Files.exists(file)) { // else another session kept the same picture just now
              throw e;
            }
          }
        }
        kept.put("file", file.toString());
        kept.put("name", input.filename());
      } catch (IOException | UncheckedIOException e) {
        kept.put("not_kept", "it could not be copied into " + historyFolder.resolve("inputs") + ": " + e.getMessage());
      }
    }
    return kept;
  }

  /**
   * Puts the kept images of record {@code req} back into {@code b}; throws saying why when the
   * record has none (an edit recorded before they were kept) or one is gone.
   */
  static void restore(JsonNode req, ImageRequest.Builder b, long number) {
    JsonNode images = req.path(IMAGES);
    if (!images.isArray() || images.isEmpty()) {
      throw new IllegalArgumentException("#" + number + " was an edit whose input images were not kept, so it cannot be"
          + " sent again as it was; edit its result instead: images().edit(history(" + number + ").image()).prompt(\"...\")");
    }
    for (JsonNode image : images) {
      b.image(restore(image, number));
    }
    if (req.hasNonNull(MASK)) {
      b.mask(restore(req.get(MASK), number));
    }
  }

  private static ImageInput restore(JsonNode kept, long number) {
    if (kept.hasNonNull("file_id")) {
      return ImageInput.fileId(kept.get("file_id").asText());
    }
    if (kept.hasNonNull("url")) {
      return ImageInput.url(kept.get("url").asText());
    }
    if (kept.hasNonNull("file")) {
      Path file = Path.of(kept.get("file").asText());
      try {
        return ImageInput.of(kept.path("name").asText(file.getFileName().toString()), Files.readAllBytes(file));
      } catch (IOException e) {
        throw new IllegalArgumentException("the input image of #" + number + " is gone from " + file
            + ", so the edit cannot be sent again", e);
      }
    }
    throw new IllegalArgumentException("an input image of #" + number + " was not kept ("
        + kept.path("not_kept").asText("no reason recorded") + "), so the edit cannot be sent again");
  }
}
