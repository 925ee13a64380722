package dev.imagine.internal.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ImageInput;
import dev.imagine.ImageRequest;
import dev.imagine.internal.http.RequestBodies;
import dev.imagine.internal.wire.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Requests as JSON objects: read from a JSONL input line, and fingerprinted for the journal. */
public final class RequestJson {
  private RequestJson() {}

  /**
   * A request from one JSON object, over the shared options of {@code template}: the API's field
   * names ({@code prompt}, {@code model}, {@code n}, {@code size}, {@code quality}, ...), plus
   * {@code image} (a file path or a list of them, for an edit) and {@code mask}; any other field
   * is sent as it is.
   *
   * @param base the folder relative image paths are read from
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static ImageRequest fromJson(JsonNode object, ImageRequest template, Path base) {
    if (object == null || !object.isObject()) {
      throw new IllegalArgumentException("expected a JSON object like {\"prompt\": \"a red fox\", \"size\": \"1024x1024\"}");
    }
    ImageRequest.Builder b = template.toBuilder();
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = f.getKey();
      JsonNode v = f.getValue();
      if (v.isNull()) {
        continue;
      }
      switch (name) {
        case "prompt" -> b.prompt(text(name, v));
        case "model" -> b.model(text(name, v));
        case "n" -> b.n(integer(name, v));
        case "size" -> b.size(text(name, v));
        case "quality" -> b.quality(text(name, v));
        case "style" -> b.style(text(name, v));
        case "response_format" -> b.responseFormat(text(name, v));
        case "output_format" -> b.outputFormat(text(name, v));
        case "output_compression" -> b.outputCompression(integer(name, v));
        case "background" -> b.background(text(name, v));
        case "moderation" -> b.moderation(text(name, v));
        case "user" -> b.user(text(name, v));
        case "input_fidelity" -> b.inputFidelity(text(name, v));
        case "image", "image[]" -> {
          b.clearImages();
          if (v.isArray()) {
            v.forEach(p -> b.image(ImageInput.of(base.resolve(text(name, p)))));
          } else {
            b.image(ImageInput.of(base.resolve(text(name, v))));
          }
        }
        case "mask" -> b.mask(ImageInput.of(base.resolve(text(name, v))));
        case "stream", "partial_images" -> throw new IllegalArgumentException(
            "'" + name + "' has no place in a batch: every image is saved whole as it arrives");
        default -> b.extraBody(name, Json.MAPPER.convertValue(v, Object.class));
      }
    }
    ImageRequest r = b.build();
    if (r.prompt() == null || r.prompt().isBlank()) {
      throw new IllegalArgumentException("the object has no \"prompt\"");
    }
    return r;
  }

  private static String text(String name, JsonNode v) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException("'" + name + "' must be a string, not " + v.getNodeType().name().toLowerCase());
    }
    return v.textValue();
  }

  private static int integer(String name, JsonNode v) {
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + name + "' must be a whole number, not " + v);
    }
    return v.intValue();
  }

  /**
   * A short digest of everything the server would see of a request (fields, extras, image bytes;
   * not the headers), so a rerun can tell that an item is still the same request.
   */
  public static String fingerprint(ImageRequest r) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Json.MAPPER.writeValueAsBytes(new TreeMap<>(RequestBodies.fields(r))));
      for (ImageInput image : r.images()) {
        sha.update((byte) 'i');
        sha.update(image.bytes());
      }
      if (r.mask() != null) {
        sha.update((byte) 'm');
        sha.update(r.mask().bytes());
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot fingerprint a request", e);
    }
  }

  /** For messages: the prompt cut to {@code max} characters. */
  static String shortPrompt(String prompt, int max) {
    String p = prompt == null ? "" : prompt.replaceAll("\\s+", " ").strip();
    return p.length() <= max ? p : p.substring(0, max - 1) + "…";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
