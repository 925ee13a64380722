package dev.imagine.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.ImageInput;
import dev.imagine.ImageRequest;
import dev.imagine.internal.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The request on the wire: a JSON body for generations, multipart form data for edits. */
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

  static Buffer json(ImageRequest r) {
    ObjectNode node = Json.MAPPER.valueToTree(fields(r));
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
  static Multipart multipart(ImageRequest r) {
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
    return new Multipart("multipart/form-data; boundary=" + boundary, body);
  }

  /** A multipart body and the content type that names its boundary. */
  record Multipart(String contentType, Buffer body) {}

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
