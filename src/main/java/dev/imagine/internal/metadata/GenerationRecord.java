package dev.imagine.internal.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.Usage;
import dev.imagine.internal.http.RequestBodies;
import dev.imagine.internal.wire.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What imagine writes down about a generation, in one shape for the sidecar, the history database
 * and the metadata inside each image: the request's API fields (never a key, a header value, an
 * extra body value or an image's bytes) and the answer's metadata. {@link #request(JsonNode)}
 * turns the request part back into an {@link ImageRequest}.
 */
public final class GenerationRecord {
  /** Fields that are reproduced by {@link #request(JsonNode)}; the rest only describe the request. */
  private static final Set<String> DESCRIPTIVE = Set.of("edited_images", "mask", "extra_body_fields", "header_names", "stream",
      "edit_inputs", "edit_mask"); // the last two: where the REPL's history keeps an edit's images

  private GenerationRecord() {}

  /** The request part: API fields, then what was left out (edited images, header names). */
  public static Map<String, Object> request(ImageRequest request) {
    Map<String, Object> req = RequestBodies.apiFields(request);
    if (!request.images().isEmpty()) {
      req.put("edited_images", request.images().size());
      req.put("mask", request.mask() != null);
    }
    if (!request.extraBody().isEmpty()) {
      req.put("extra_body_fields", List.copyOf(request.extraBody().keySet()));
    }
    if (!request.headers().isEmpty()) {
      req.put("header_names", List.copyOf(request.headers().keySet())); // values may be credentials
    }
    return req;
  }

  /** The answer part: when, request id, elapsed, what the server reported, the image's revised prompt, usage. */
  public static Map<String, Object> response(ImageResult result, int index) {
    Map<String, Object> res = new LinkedHashMap<>();
    putIfSet(res, "created", result.created() == null ? null : result.created().toString());
    putIfSet(res, "request_id", result.requestId());
    putIfSet(res, "elapsed_ms", result.elapsed() == null ? null : result.elapsed().toMillis());
    putIfSet(res, "size", result.size());
    putIfSet(res, "quality", result.quality());
    putIfSet(res, "background", result.background());
    putIfSet(res, "output_format", result.outputFormat());
    if (index >= 0 && index < result.images().size()) {
      putIfSet(res, "revised_prompt", result.images().get(index).revisedPrompt());
    }
    Usage usage = result.usage();
    if (usage != null) {
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("input_tokens", usage.inputTokens());
      u.put("output_tokens", usage.outputTokens());
      u.put("total_tokens", usage.totalTokens());
      putIfSet(u, "text_tokens", usage.textTokens());
      putIfSet(u, "image_tokens", usage.imageTokens());
      res.put("usage", u);
    }
    return res;
  }

  /**
   * The record carried inside image {@code index} of {@code result}: {@code {"imagine": version,
   * "request": {...}, "response": {...}, "image": {...}}}, as compact JSON.
   */
  public static String embedded(String version, ImageRequest request, ImageResult result, int index) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("imagine", version);
    all.put("request", request(request));
    all.put("response", response(result, index));
    GeneratedImage image = result.images().get(index);
    Map<String, Object> img = new LinkedHashMap<>();
    img.put("index", index);
    img.put("of", result.images().size());
    img.put("width", image.width());
    img.put("height", image.height());
    all.put("image", img);
    try {
      return Json.MAPPER.writeValueAsString(all);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the image's metadata: " + e.getOriginalMessage(), e);
    }
  }

  /** The JSON of {@code fields}, compact. */
  public static String json(Map<String, Object> fields) {
    try {
      return Json.MAPPER.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON text; a clear error when it is not JSON. */
  public static JsonNode parse(String json, String where) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the imagine metadata in " + where + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The request a record's request part describes: every API field back in place. Edited images,
   * extra body values and header values were never recorded, so they are not in it.
   *
   * @throws IllegalArgumentException naming the field whose value cannot be used
   */
  public static ImageRequest request(JsonNode req) {
    if (req == null || !req.isObject()) {
      throw new IllegalArgumentException("the record holds no request");
    }
    ImageRequest.Builder b = ImageRequest.builder();
    for (Iterator<Map.Entry<String, JsonNode>> it = req.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!DESCRIPTIVE.contains(field.getKey()) && !field.getValue().isNull()) {
        apply(b, field.getKey(), field.getValue().asText());
      }
    }
    return b.build();
  }

  /**
   * Sets one field, named as on the wire ({@code output_format}) or as in the DSL
   * ({@code outputFormat}), from text: what {@code /rerun 42 size=1536x1024} does.
   *
   * @throws IllegalArgumentException for an unknown field or a number that is not one
   */
  public static void apply(ImageRequest.Builder b, String field, String value) {
    switch (field.replace("_", "").toLowerCase(java.util.Locale.ROOT)) {
      case "prompt" -> b.prompt(value);
      case "model" -> b.model(value);
      case "n" -> b.n(integer(field, value));
      case "size" -> b.size(value);
      case "quality" -> b.quality(value);
      case "style" -> b.style(value);
      case "responseformat" -> b.responseFormat(value);
      case "outputformat" -> b.outputFormat(value);
      case "outputcompression" -> b.outputCompression(integer(field, value));
      case "background" -> b.background(value);
      case "moderation" -> b.moderation(value);
      case "inputfidelity" -> b.inputFidelity(value);
      case "user" -> b.user(value);
      case "partialimages" -> b.partialImages(integer(field, value));
      default -> throw new IllegalArgumentException("unknown field '" + field + "': use prompt, model, n, size, quality, "
          + "style, background, output_format, output_compression, moderation, input_fidelity, response_format, "
          + "partial_images or user");
    }
  }

  private static int integer(String field, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " must be a whole number, not '" + value + "'", e);
    }
  }

  /** The request part of a full record ({@code {"request": ...}}), as a request. */
  public static ImageRequest requestOfRecord(String json, String where) {
    JsonNode node = parse(json, where);
    JsonNode req = node.get("request");
    if (req == null) {
      throw new IllegalArgumentException("the imagine metadata in " + where + " holds no request");
    }
    return request(req);
  }

  private static void putIfSet(Map<String, Object> map, String name, Object value) {
    if (value != null) {
      map.put(name, value);
    }
  }
}
