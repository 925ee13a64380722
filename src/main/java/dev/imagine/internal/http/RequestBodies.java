package dev.imagine.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.ImageInput;
import dev.imagine.ImageRequest;
import dev.imagine.internal.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request on the wire: a JSON body for generations; for edits, multipart form data, or JSON
 * with {@code images: [{image_url | file_id}]} when an image is given by URL, data URL or file id.
 */
public final class RequestBodies {
  private RequestBodies() {}

  /** The fields to send, in the seed's order, then the extra body fields. */
  public static Map<String, Object> fields(ImageRequest r) {
    Map<String, Object> f = apiFields(r);
    f.putAll(r.extraBody());
    return f;
  }

  /**
   * The API's own fields of a request, without extra body fields (which may hold anything): prompt,
   * n, size and model always (model once the client has chosen it), the rest when set. Also what the REPL records beside a saved image.
   */
  public static Map<String, Object> apiFields(ImageRequest r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("prompt", r.prompt());
    f.put("n", r.n());
    f.put("size", r.size());
    putIfSet(f, "model", r.model()); // set by the client before sending: its default when the request has none
    putIfSet(f, "quality", r.quality());
    putIfSet(f, "style", r.style());
    putIfSet(f, "response_format", r.responseFormat());
    putIfSet(f, "output_format", r.outputFormat());
    putIfSet(f, "output_compression", r.outputCompression());
    putIfSet(f, "background", r.background());
    putIfSet(f, "moderation", r.moderation());
    putIfSet(f, "input_fidelity", r.inputFidelity());
    putIfSet(f, "user", r.user());
    if (r.partialImages() != null) {
      f.put("stream", true);
      f.put("partial_images", r.partialImages());
    }
    return f;
  }

  /** A body and its content type. */
  record Body(String contentType, Buffer body) {}

  /** The body {@code r} is sent with. */
  static Body of(ImageRequest r) {
    if (r.images().isEmpty()) {
      return new Body("application/json", json(fields(r)));
    }
    if (isJsonEdit(r)) {
      return new Body("application/json", json(jsonEditFields(r)));
    }
    return multipart(r);
  }

  /** Whether an edit goes as JSON: some image (or the mask) is one the server reads by URL or file id. */
  public static boolean isJsonEdit(ImageRequest r) {
    return r.images().stream().anyMatch(RequestBodies::isReference) || r.mask() != null && isReference(r.mask());
  }

  private static boolean isReference(ImageInput in) {
    return in.url() != null || in.fileId() != null;
  }

  /**
   * The fields of a JSON edit: the usual ones, then {@code images} (and {@code mask}) as
   * {@code {"image_url": ...}} or {@code {"file_id": ...}}; images given as bytes become data URLs.
   * Also what a batch line of an edit holds.
   */
  public static Map<String, Object> jsonEditFields(ImageRequest r) {
    Map<String, Object> f = fields(r);
    f.put("images", r.images().stream().map(RequestBodies::reference).toList());
    if (r.mask() != null) {
      f.put("mask", reference(r.mask()));
    }
    return f;
  }

  private static Map<String, String> reference(ImageInput in) {
    if (in.fileId() != null) {
      return Map.of("file_id", in.fileId());
    }
    return Map.of("image_url", in.url() != null ? in.url()
        : "data:" + in.mimeType() + ";base64," + Base64.getEncoder().encodeToString(in.bytes()));
  }

  private static Buffer json(Map<String, Object> fields) {
    ObjectNode node = Json.MAPPER.valueToTree(fields);
    try {
      return Buffer.buffer(Json.MAPPER.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Edits as {@code multipart/form-data}: one {@code image} part, or repeated {@code image[]} parts,
   * each with a file name and content type. Written here rather than with Vert.x's
   * {@code MultipartForm}, which nests same-named files in a {@code multipart/mixed} part that
   * OpenAI's server does not read.
   */
  static Body multipart(ImageRequest r) {
    String boundary = "imagine-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(System.nanoTime());
    Buffer body = Buffer.buffer();
    fields(r).forEach((name, value) -> {
      body.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
      body.appendString(String.valueOf(value), "UTF-8").appendString("\r\n");
    });
    String partName = r.images().size() == 1 ? "image" : "image[]";
    for (ImageInput image : r.images()) {
      appendFile(body, boundary, partName, image);
    }
    if (r.mask() != null) {
      appendFile(body, boundary, "mask", r.mask());
    }
    body.appendString("--" + boundary + "--\r\n");
    return new Body("multipart/form-data; boundary=" + boundary, body);
  }

  private static void appendFile(Buffer body, String boundary, String name, ImageInput file) {
    String filename = file.filename().replace("\"", "").replace("\r", "").replace("\n", "");
    body.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
        + filename + "\"\r\nContent-Type: " + file.mimeType() + "\r\n\r\n", "UTF-8");
    body.appendBytes(file.bytes()).appendString("\r\n");
  }

  private static void putIfSet(Map<String, Object> f, String name, Object value) {
    if (value != null) {
      f.put(name, value);
    }
  }
}
