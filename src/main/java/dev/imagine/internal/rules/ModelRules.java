package dev.imagine.internal.rules;

import dev.imagine.internal.models.ModelCatalog;
import dev.imagine.internal.models.ModelInfo;
import dev.imagine.internal.models.ModelInfo.Family;
import dev.imagine.internal.models.ModelInfo.Sizes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Images API's per-model rules, shared by the client (which checks a request before any
 * network call) and the embedded backend (which answers a broken request with a 400 like the real
 * server). The rules of each model are rows of {@link ModelCatalog}. Only what is certain is
 * checked: a model the catalogue does not know gets the rules that hold for every model, or, when
 * {@code strict} (the backend), the rules of the GPT image family so reseller ids work.
 */
public final class ModelRules {

  public static final int MAX_N = 10;
  public static final int MAX_PARTIAL_IMAGES = 3;

  /** Every output format some model takes: what a model the catalogue does not know may ask for. */
  private static final List<String> ANY_OUTPUT_FORMAT = List.of("png", "jpeg", "webp", "gif", "svg");
  /** Fields only DALL·E takes; any other optional field is one of the GPT image models'. */
  private static final List<String> DALL_E_FIELDS = List.of("style", "response_format");

  private ModelRules() {}

  /**
   * Checks a request against the rules of its model.
   *
   * @param strict treat unknown models as GPT image models (the backend does; the client lets them pass)
   * @return the first broken rule, or empty when the request may be sent
   */
  public static Optional<Violation> check(ImageParams p, boolean strict) {
    if (p.model() == null) {
      // the client's default is always a live model of the catalogue, most often the fallback
      return Optional.ofNullable(firstViolation(p, ModelCatalog.find(ModelCatalog.FALLBACK_MODEL).orElseThrow(),
          "the default model (" + ModelCatalog.FALLBACK_MODEL + ")"));
    }
    ModelInfo info = ModelCatalog.find(p.model()).orElse(strict ? ModelCatalog.strictRulesFor(p.model()) : null);
    String model = p.model();
    return Optional.ofNullable(firstViolation(p, info, model));
  }

  private static Violation firstViolation(ImageParams p, ModelInfo info, String model) {
    boolean variation = p.endpoint() == ImageParams.Endpoint.VARIATIONS;
    if (info != null && !serves(info, p.endpoint())) {
      return new Violation("model", model + " cannot make " + p.endpoint().name().toLowerCase(Locale.ROOT)
          + "; choose a model that can, e.g. " + (variation ? "dall-e-2" : ModelCatalog.FALLBACK_MODEL));
    }
    if (!variation) {
      if (p.prompt() == null || p.prompt().isBlank()) {
        return new Violation("prompt", "prompt is required: describe the image to make");
      }
      if (info != null && p.prompt().length() > info.maxPromptLength()) {
        return new Violation("prompt", String.format(Locale.ROOT,
            "prompt is %,d characters long; %s accepts at most %,d", p.prompt().length(), model, info.maxPromptLength()));
      }
    }
    if (p.n() != null) {
      if (p.n() < 1 || p.n() > MAX_N) {
        return new Violation("n", "n is " + p.n() + "; it must be between 1 and " + MAX_N);
      }
      if (info != null && p.n() > info.maxN()) {
        return new Violation("n", "n is " + p.n() + "; " + model + " makes only " + info.maxN()
            + " image per request (n=" + info.maxN() + ")");
      }
    }
    Violation size = checkSize(p.size(), info, model);
    if (size != null) {
      return size;
    }
    if (p.quality() != null && info != null && !info.qualities().isEmpty() && !info.qualities().contains(p.quality())) {
      return oneOf("quality", p.quality(), model, info.qualities());
    }
    Violation unsupported = firstUnsupportedField(p, info, model);
    if (unsupported != null) {
      return unsupported;
    }
    if (p.style() != null && info != null && !List.of("vivid", "natural").contains(p.style())) {
      return oneOf("style", p.style(), model, List.of("vivid", "natural"));
    }
    if (p.responseFormat() != null && !List.of("url", "b64_json").contains(p.responseFormat())) {
      return oneOf("response_format", p.responseFormat(), model, List.of("url", "b64_json"));
    }
    List<String> formats = info == null ? ANY_OUTPUT_FORMAT : info.outputFormats();
    if (p.outputFormat() != null && !formats.contains(p.outputFormat())) {
      return oneOf("output_format", p.outputFormat(), model, formats);
    }
    if (p.outputCompression() != null) {
      if (p.outputCompression() < 0 || p.outputCompression() > 100) {
        return new Violation("output_compression",
            "output_compression is " + p.outputCompression() + "; it must be between 0 and 100");
      }
      if ("png".equals(p.outputFormat())) {
        return new Violation("output_compression",
            "output_compression applies only to jpeg and webp; set output_format to jpeg or webp, or remove it");
      }
    }
    if (p.background() != null) {
      if (!List.of("transparent", "opaque", "auto").contains(p.background())) {
        return oneOf("background", p.background(), model, List.of("transparent", "opaque", "auto"));
      }
      if (p.background().equals("transparent") && "jpeg".equals(p.outputFormat())) {
        return new Violation("background",
            "a transparent background needs output_format png or webp, not jpeg");
      }
    }
    if (p.moderation() != null && !List.of("low", "auto").contains(p.moderation())) {
      return oneOf("moderation", p.moderation(), model, List.of("low", "auto"));
    }
    if (p.inputFidelity() != null && !List.of("high", "low").contains(p.inputFidelity())) {
      return oneOf("input_fidelity", p.inputFidelity(), model, List.of("high", "low"));
    }
    if (p.partialImages() != null && (p.partialImages() < 0 || p.partialImages() > MAX_PARTIAL_IMAGES)) {
      return new Violation("partial_images",
          "partial_images is " + p.partialImages() + "; it must be between 0 and " + MAX_PARTIAL_IMAGES);
    }
    return null;
  }

  private static boolean serves(ModelInfo info, ImageParams.Endpoint endpoint) {
    return switch (endpoint) {
      case GENERATIONS -> true;
      case EDITS -> info.edits();
      case VARIATIONS -> info.variations();
    };
  }

  /** The first optional field set that the model's catalogue entry does not list. */
  private static Violation firstUnsupportedField(ImageParams p, ModelInfo info, String model) {
    if (info == null) {
      return null;
    }
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("style", p.style());
    set.put("response_format", p.responseFormat());
    set.put("output_format", p.outputFormat());
    set.put("output_compression", p.outputCompression());
    set.put("background", p.background());
    set.put("moderation", p.moderation());
    set.put("stream", Boolean.TRUE.equals(p.stream()) ? Boolean.TRUE : null);
    set.put("partial_images", p.partialImages());
    set.put("input_fidelity", p.inputFidelity());
    String field = set.entrySet().stream()
        .filter(e -> e.getValue() != null && !info.accepts(e.getKey()))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    if (field == null) {
      return null;
    }
    if (field.equals("response_format") && info.family().isGptImage()) {
      return new Violation(field,
          "response_format is not supported by " + model + ": GPT image models always return b64_json; remove it");
    }
    if (field.equals("style")) {
      return new Violation(field, "style is only for dall-e-3; remove it for " + model);
    }
    if (info.family() == Family.DALL_E && !DALL_E_FIELDS.contains(field)) {
      return new Violation(field, field + " is only for GPT image models; remove it for " + model);
    }
    return new Violation(field, field + " is not supported by " + model + "; remove it");
  }

  private static Violation checkSize(String size, ModelInfo info, String model) {
    if (size == null) {
      return null;
    }
    Sizes sizes = info == null ? null : info.sizes();
    if (size.equals("auto")) {
      return sizes == null || sizes.isFlexible() || sizes.fixed().contains("auto") ? null
          : oneOf("size", size, model, sizes.fixed());
    }
    int[] wh = Sizes.dimensions(size);
    if (wh == null) {
      return new Violation("size", "size '" + size + "' is not of the form WIDTHxHEIGHT (e.g. 1024x1024) or 'auto'");
    }
    if (sizes == null) {
      return null;
    }
    if (!sizes.isFlexible()) {
      return sizes.fixed().contains(size) ? null : oneOf("size", size, model, sizes.fixed());
    }
    return checkFlexibleSize(size, wh[0], wh[1], sizes, model);
  }

  /** gpt-image-2 on: edges multiples of 16, aspect 1:3 to 3:1, a longest edge and a pixel range. */
  private static Violation checkFlexibleSize(String size, int w, int h, Sizes sizes, String model) {
    String why = null;
    if (w % 16 != 0 || h % 16 != 0) {
      why = "both edges must be multiples of 16";
    } else if (Math.max(w, h) > 3 * Math.min(w, h)) {
      why = "the aspect ratio must be between 1:3 and 3:1";
    } else if (Math.max(w, h) > sizes.maxEdge()) {
      why = "the longer edge must be at most " + sizes.maxEdge();
    } else if ((long) w * h < sizes.minPixels() || (long) w * h > sizes.maxPixels()) {
      why = String.format(Locale.ROOT, "the image must have between %,d and %,d pixels", sizes.minPixels(), sizes.maxPixels());
    }
    return why == null ? null : new Violation("size",
        "size '" + size + "' is not valid for " + model + ": " + why + " (e.g. 1024x1024, 1536x1024, 2048x1152, 3840x2160) or 'auto'");
  }

  private static Violation oneOf(String param, String value, String model, List<String> allowed) {
    return new Violation(param, param + " '" + value + "' is not supported by " + model + "; use one of " + String.join(", ", allowed));
  }
}
