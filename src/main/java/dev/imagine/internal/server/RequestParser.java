package dev.imagine.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.rules.ImageParams.Endpoint;
import dev.imagine.internal.wire.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads an images request from a JSON body (generations) or form fields and file parts (edits,
 * variations) into an {@link ImageJob}, refusing wrong types the way the real server does
 * ({@code Invalid type for 'n': expected an integer, but got a string instead.}). Fields the API
 * does not know are ignored, so a client's reseller-specific extras work offline too.
 */
final class RequestParser {
  private RequestParser() {}

  static ImageJob fromJson(Endpoint endpoint, Buffer body) {
    return fromJson(endpoint, body, name -> null);
  }

  /**
   * As above; a JSON edit's {@code images: [{image_url | file_id}]} and {@code mask} are read too:
   * data URLs decoded, file ids and URLs looked up with {@code stored} (this backend is offline and
   * fetches nothing).
   */
  static ImageJob fromJson(Endpoint endpoint, Buffer body, Function<String, FileStore.StoredFile> stored) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body.getBytes());
    } catch (JsonProcessingException e) {
      throw ApiFailure.invalid(null, "We could not parse the JSON body of your request. (HINT: This likely means "
          + "you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent "
          + "was not valid JSON.)");
    } catch (java.io.IOException e) {
      throw ApiFailure.invalid(null, "The request body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiFailure.invalid(null, "The request body must be a JSON object, e.g. "
          + "{\"model\": \"gpt-image-1\", \"prompt\": \"A cute baby sea otter\"}");
    }
    Function<String, JsonNode> field = name -> {
      JsonNode n = root.get(name);
      return n == null || n.isNull() ? null : n;
    };
    return new ImageJob(params(endpoint, new Fields() {
      @Override
      public String text(String name) {
        JsonNode n = field.apply(name);
        if (n == null) {
          return null;
        }
        if (!n.isTextual()) {
          throw wrongType(name, "a string", n);
        }
        return n.textValue();
      }

      @Override
      public Integer integer(String name) {
        JsonNode n = field.apply(name);
        if (n == null) {
          return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
          throw wrongType(name, "an integer", n);
        }
        return n.intValue();
      }

      @Override
      public Boolean bool(String name) {
        JsonNode n = field.apply(name);
        if (n == null) {
          return null;
        }
        if (!n.isBoolean()) {
          throw wrongType(name, "a boolean", n);
        }
        return n.booleanValue();
      }
    }), textOf(root, "user"), endpoint == Endpoint.EDITS ? jsonImages(root.get("images"), stored) : List.of(),
        endpoint == Endpoint.EDITS && root.hasNonNull("mask") ? jsonImage("mask", root.get("mask"), stored) : null);
  }

  private static List<ImageJob.Upload> jsonImages(JsonNode images, Function<String, FileStore.StoredFile> stored) {
    if (images == null || images.isNull()) {
      return List.of();
    }
    if (!images.isArray()) {
      throw wrongType("images", "an array", images);
    }
    List<ImageJob.Upload> out = new ArrayList<>();
    for (JsonNode image : images) {
      out.add(jsonImage("images", image, stored));
    }
    return out;
  }

  private static ImageJob.Upload jsonImage(String field, JsonNode ref, Function<String, FileStore.StoredFile> stored) {
    if (!ref.isObject()) {
      throw wrongType(field, "an object with image_url or file_id", ref);
    }
    String url = textOf(ref, "image_url");
    String fileId = textOf(ref, "file_id");
    if ((url == null) == (fileId == null)) {
      throw ApiFailure.invalid(field, "Each entry of '" + field + "' needs exactly one of image_url and file_id");
    }
    if (url != null && url.regionMatches(true, 0, "data:", 0, 5)) {
      int comma = url.indexOf(',');
      String head = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
      if (!head.endsWith(";base64") || !head.startsWith("image/")) {
        throw ApiFailure.invalid(field, "Invalid image_url: a data URL must look like data:image/png;base64,...");
      }
      byte[] bytes;
      try {
        bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        throw ApiFailure.invalid(field, "Invalid image_url: the data URL's base64 is broken (" + e.getMessage() + ")");
      }
      String type = head.substring(0, head.length() - ";base64".length());
      return new ImageJob.Upload(field, "image." + type.substring("image/".length()), type, bytes);
    }
    String name = fileId != null ? fileId : url;
    FileStore.StoredFile f = stored.apply(name);
    if (f == null) {
      throw ApiFailure.invalid(field, fileId != null
          ? "No file with id '" + fileId + "' on the local backend"
          : "The local backend is offline and fetches no image URLs; send a data URL (data:image/png;base64,...), "
              + "a file, or the URL of an image this backend made");
    }
    return new ImageJob.Upload(field, name.substring(name.lastIndexOf('/') + 1), f.mimeType(), f.bytes());
  }

  /** Reads form fields; the caller has already sorted the file parts into images and mask. */
  static ImageJob fromForm(Endpoint endpoint, MultiMap form, List<ImageJob.Upload> images, ImageJob.Upload mask) {
    for (String fileField : List.of("image", "image[]", "mask")) {
      if (form.contains(fileField)) {
        throw ApiFailure.invalid(fileField, "'" + fileField + "' was sent as a text field; send it as a file part "
            + "with a filename and an image content type (image/png, image/jpeg or image/webp)");
      }
    }
    Fields fields = new Fields() {
      @Override
      public String text(String name) {
        return form.get(name);
      }

      @Override
      public Integer integer(String name) {
        String v = form.get(name);
        if (v == null) {
          return null;
        }
        try {
          return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
          throw ApiFailure.invalid(name, "invalid_type",
              "Invalid type for '" + name + "': expected an integer, but got '" + v + "' instead.");
        }
      }

      @Override
      public Boolean bool(String name) {
        String v = form.get(name);
        if (v == null) {
          return null;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
          throw ApiFailure.invalid(name, "invalid_type",
              "Invalid type for '" + name + "': expected a boolean, but got '" + v + "' instead.");
        }
        return s.equals("true");
      }
    };
    return new ImageJob(params(endpoint, fields), form.get("user"), images, mask);
  }

  /** Typed access to the request's fields, whatever carried them. */
  private interface Fields {
    String text(String name);

    Integer integer(String name);

    Boolean bool(String name);
  }

  private static ImageParams params(Endpoint endpoint, Fields f) {
    return new ImageParams(endpoint, f.text("prompt"), f.text("model"), f.integer("n"), f.text("size"),
        f.text("quality"), f.text("style"), f.text("response_format"), f.text("output_format"),
        f.integer("output_compression"), f.text("background"), f.text("moderation"), f.text("input_fidelity"),
        f.bool("stream"), f.integer("partial_images"));
  }

  private static String textOf(JsonNode root, String name) {
    JsonNode n = root.get(name);
    if (n != null && !n.isNull() && !n.isTextual()) {
      throw wrongType(name, "a string", n);
    }
    return n == null || n.isNull() ? null : n.textValue();
  }

  private static ApiFailure wrongType(String name, String expected, JsonNode got) {
    String kind = switch (got.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> got.isIntegralNumber() ? "an integer" : "a decimal";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> "a " + got.getNodeType().name().toLowerCase(Locale.ROOT);
    };
    return ApiFailure.invalid(name, "invalid_type",
        "Invalid type for '" + name + "': expected " + expected + ", but got " + kind + " instead.");
  }
}
