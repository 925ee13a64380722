package dev.imagine.internal.rules;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Images API's per-model rules, shared by the client (which checks a request before any
 * network call) and the embedded backend (which answers a broken request with a 400 like the real
 * server). Only what is certain is checked: unknown models get the rules that hold for every model,
 * or, when {@code strict} (the backend), the rules of the GPT image family so reseller ids work.
 */
public final class ModelRules {

  /** The model families whose rules differ. */
  public enum Family { DALL_E_2, DALL_E_3, GPT_IMAGE, GPT_IMAGE_2, UNKNOWN }

  public static final int MAX_N = 10;
  public static final int MAX_PARTIAL_IMAGES = 3;

  private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,5})x([1-9][0-9]{0,5})");
  private static final List<String> DALL_E_2_SIZES = List.of("256x256", "512x512", "1024x1024");
  private static final List<String> DALL_E_3_SIZES = List.of("1024x1024", "1792x1024", "1024x1792");
  private static final List<String> GPT_IMAGE_SIZES = List.of("1024x1024", "1536x1024", "1024x1536", "auto");
  private static final Set<String> GPT_IMAGE_1_MODELS =
      Set.of("gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "chatgpt-image-latest");

  private ModelRules() {}

  /**
   * The family of a model id. Only exact known ids count: a reseller's variant such as
   * {@code gpt-image-2-ca} may have other limits, so it is {@code UNKNOWN} and passes through.
   */
  public static Family family(String model) {
    if (model == null) {
      return Family.UNKNOWN;
    }
    String m = model.toLowerCase(Locale.ROOT);
    if (m.equals("dall-e-2")) {
      return Family.DALL_E_2;
    }
    if (m.equals("dall-e-3")) {
      return Family.DALL_E_3;
    }
    if (m.equals("gpt-image-2")) {
      return Family.GPT_IMAGE_2;
    }
    return GPT_IMAGE_1_MODELS.contains(m) ? Family.GPT_IMAGE : Family.UNKNOWN;
  }

  /** Whether the family is one of the GPT image models (which answer with {@code b64_json} and usage). */
  public static boolean isGptImage(Family family) {
    return family == Family.GPT_IMAGE || family == Family.GPT_IMAGE_2;
  }

  /** The longest prompt a family accepts, or {@code Integer.MAX_VALUE} when unknown. */
  public static int maxPromptLength(Family family) {
    return switch (family) {
      case DALL_E_2 -> 1000;
      case DALL_E_3 -> 4000;
      case GPT_IMAGE, GPT_IMAGE_2 -> 32000;
      case UNKNOWN -> Integer.MAX_VALUE;
    };
  }

  /** The sizes a family accepts, or an empty list when any well-formed size may be tried. */
  public static List<String> knownSizes(Family family) {
    return switch (family) {
      case DALL_E_2 -> DALL_E_2_SIZES;
      case DALL_E_3 -> DALL_E_3_SIZES;
      case GPT_IMAGE -> GPT_IMAGE_SIZES;
      case GPT_IMAGE_2, UNKNOWN -> List.of();
    };
  }

  /**
   * Checks a request against the rules of its model.
   *
   * @param strict treat unknown models as GPT image models (the backend does; the client lets them pass)
   * @return the first broken rule, or empty when the request may be sent
   */
  public static Optional<Violation> check(ImageParams p, boolean strict) {
    Family family = family(p.model());
    if (family == Family.UNKNOWN && strict) {
      family = Family.GPT_IMAGE;
    }
    String model = p.model() == null ? "the default model" : p.model();
    return Optional.ofNullable(firstViolation(p, family, model));
  }

  private static Violation firstViolation(ImageParams p, Family family, String model) {
    boolean variation = p.endpoint() == ImageParams.Endpoint.VARIATIONS;
    boolean dallE = family == Family.DALL_E_2 || family == Family.DALL_E_3;
    boolean gpt = isGptImage(family);

    if (!variation) {
      if (p.prompt() == null || p.prompt().isBlank()) {
        return new Violation("prompt", "prompt is required: describe the image to make");
      }
      int max = maxPromptLength(family);
      if (p.prompt().length() > max) {
        return new Violation("prompt", String.format(Locale.ROOT,
            "prompt is %,d characters long; %s accepts at most %,d", p.prompt().length(), model, max));
      }
    }
    if (p.n() != null) {
      if (p.n() < 1 || p.n() > MAX_N) {
        return new Violation("n", "n is " + p.n() + "; it must be between 1 and " + MAX_N);
      }
      if (family == Family.DALL_E_3 && p.n() != 1) {
        return new Violation("n", "n is " + p.n() + "; dall-e-3 makes only 1 image per request (n=1)");
      }
    }
    Violation size = checkSize(p.size(), family, model);
    if (size != null) {
      return size;
    }
    if (p.quality() != null) {
      List<String> allowed = family == Family.DALL_E_3 ? List.of("standard", "hd")
          : family == Family.DALL_E_2 ? List.of("standard") : List.of();
      if (!allowed.isEmpty() && !allowed.contains(p.quality())) {
        return oneOf("quality", p.quality(), model, allowed);
      }
    }
    if (p.style() != null) {
      if (family != Family.DALL_E_3 && family != Family.UNKNOWN) {
        return new Violation("style", "style is only for dall-e-3; remove it for " + model);
      }
      if (family == Family.DALL_E_3 && !List.of("vivid", "natural").contains(p.style())) {
        return oneOf("style", p.style(), model, List.of("vivid", "natural"));
      }
    }
    if (p.responseFormat() != null) {
      if (gpt) {
        return new Violation("response_format",
            "response_format is not supported by " + model + ": GPT image models always return b64_json; remove it");
      }
      if (!List.of("url", "b64_json").contains(p.responseFormat())) {
        return oneOf("response_format", p.responseFormat(), model, List.of("url", "b64_json"));
      }
    }
    Violation gptOnly = gptOnlyFields(p, dallE, model);
    if (gptOnly != null) {
      return gptOnly;
    }
    if (p.outputFormat() != null && !List.of("png", "jpeg", "webp").contains(p.outputFormat())) {
      return oneOf("output_format", p.outputFormat(), model, List.of("png", "jpeg", "webp"));
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
    if (p.inputFidelity() != null) {
      if (family == Family.GPT_IMAGE_2) {
        return new Violation("input_fidelity", "input_fidelity is not supported by " + model + "; remove it");
      }
      if (!List.of("high", "low").contains(p.inputFidelity())) {
        return oneOf("input_fidelity", p.inputFidelity(), model, List.of("high", "low"));
      }
    }
    if (p.partialImages() != null && (p.partialImages() < 0 || p.partialImages() > MAX_PARTIAL_IMAGES)) {
      return new Violation("partial_images",
          "partial_images is " + p.partialImages() + "; it must be between 0 and " + MAX_PARTIAL_IMAGES);
    }
    return null;
  }

  private static Violation gptOnlyFields(ImageParams p, boolean dallE, String model) {
    if (!dallE) {
      return null;
    }
    String field = p.outputFormat() != null ? "output_format"
        : p.outputCompression() != null ? "output_compression"
        : p.background() != null ? "background"
        : p.moderation() != null ? "moderation"
        : Boolean.TRUE.equals(p.stream()) ? "stream"
        : p.partialImages() != null ? "partial_images"
        : p.inputFidelity() != null ? "input_fidelity"
        : null;
    return field == null ? null
        : new Violation(field, field + " is only for GPT image models; remove it for " + model);
  }

  private static Violation checkSize(String size, Family family, String model) {
    if (size == null) {
      return null;
    }
    if (size.equals("auto")) {
      return family == Family.DALL_E_2 || family == Family.DALL_E_3
          ? oneOf("size", size, model, knownSizes(family)) : null;
    }
    Matcher m = SIZE.matcher(size);
    if (!m.matches()) {
      return new Violation("size", "size '" + size + "' is not of the form WIDTHxHEIGHT (e.g. 1024x1024) or 'auto'");
    }
    List<String> known = knownSizes(family);
    if (!known.isEmpty() && !known.contains(size)) {
      return oneOf("size", size, model, known);
    }
    if (family == Family.GPT_IMAGE_2) {
      return checkGptImage2Size(size, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    return null;
  }

  /** gpt-image-2 takes any size with edges that are multiples of 16, aspect 1:3 to 3:1, 655,360 to 8,294,400 pixels, edges up to 3840. */
  private static Violation checkGptImage2Size(String size, int w, int h) {
    String why = null;
    if (w % 16 != 0 || h % 16 != 0) {
      why = "both edges must be multiples of 16";
    } else if (Math.max(w, h) > 3 * Math.min(w, h)) {
      why = "the aspect ratio must be between 1:3 and 3:1";
    } else if (Math.max(w, h) > 3840) {
      why = "the longer edge must be at most 3840";
    } else if ((long) w * h < 655_360 || (long) w * h > 8_294_400) {
      why = "the image must have between 655,360 and 8,294,400 pixels";
    }
    return why == null ? null : new Violation("size",
        "size '" + size + "' is not valid for gpt-image-2: " + why + " (e.g. 1024x1024, 1536x1024, 2048x1152, 3840x2160) or 'auto'");
  }

  private static Violation oneOf(String param, String value, String model, List<String> allowed) {
    return new Violation(param, param + " '" + value + "' is not supported by " + model + "; use one of " + String.join(", ", allowed));
  }
}
