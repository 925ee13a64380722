package dev.imagine.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.internal.rules.ImageParams.Endpoint;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRulesTest {
  static ImageParams gen(String model, String size, Integer n) {
    return new ImageParams(Endpoint.GENERATIONS, "a fox", model, n, size, null, null, null, null, null, null, null, null, null, null);
  }

  @ParameterizedTest(name = "{0} {1} n={2} -> {3}")
  @CsvSource({
      "gpt-image-1, 1024x1024, 1, ",
      "gpt-image-1, 1536x1024, 10, ",
      "gpt-image-1, auto, 1, ",
      "gpt-image-1, 1792x1024, 1, size",
      "gpt-image-1, 1024x1024, 11, n",
      "gpt-image-1, 1024x1024, 0, n",
      "dall-e-3, 1024x1792, 1, ",
      "dall-e-3, 1024x1792, 2, n",
      "dall-e-3, auto, 1, size",
      "dall-e-2, 256x256, 10, ",
      "dall-e-2, 1536x1024, 1, size",
      "gpt-image-2, 2048x1152, 1, ",
      "gpt-image-2, 3840x2160, 1, ",
      "gpt-image-2, 1000x1000, 1, size",
      "gpt-image-2, 3200x1008, 1, size",
      "gpt-image-2, 512x512, 1, size",
      "gpt-image-2, 4096x2304, 1, size",
      "some-reseller-model, 1000x1000, 1, ",
      "some-reseller-model, big, 1, size",
      "gpt-image-2-ca, 999x333, 1, ",
  })
  void sizesAndCountsPerModel(String model, String size, Integer n, String brokenParam) {
    Optional<Violation> v = ModelRules.check(gen(model, size, n), false);
    assertThat(v.map(Violation::param).orElse(null)).isEqualTo(brokenParam);
  }

  @ParameterizedTest(name = "{0} prompt of {1} chars ok={2}")
  @CsvSource({"dall-e-2, 1000, true", "dall-e-2, 1001, false", "dall-e-3, 4000, true", "dall-e-3, 4001, false",
      "gpt-image-1, 32000, true", "gpt-image-1, 32001, false", "unknown-model, 100000, true"})
  void promptLimitsPerModel(String model, int length, boolean ok) {
    ImageParams p = new ImageParams(Endpoint.GENERATIONS, "x".repeat(length), model, 1, null, null, null, null, null,
        null, null, null, null, null, null);
    assertThat(ModelRules.check(p, false)).as(model).matches(v -> v.isEmpty() == ok);
  }

  @ParameterizedTest(name = "strict={0}: unknown models follow the GPT image rules on the server")
  @CsvSource({"false, true", "true, false"})
  void strictModeTreatsUnknownModelsAsGptImage(boolean strict, boolean ok) {
    ImageParams p = new ImageParams(Endpoint.GENERATIONS, "a fox", "reseller-x", 1, "1024x1024", null, "vivid", null,
        null, null, null, null, null, null, null);
    assertThat(ModelRules.check(p, strict).isEmpty()).isEqualTo(ok);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "gpt-image-1 | response_format=url | response_format",
      "gpt-image-1 | style=vivid | style",
      "dall-e-3 | output_format=png | output_format",
      "dall-e-3 | background=transparent | background",
      "dall-e-3 | style=loud | style",
      "gpt-image-1 | output_compression=101 | output_compression",
      "gpt-image-1 | background=transparent,output_format=jpeg | background",
      "gpt-image-1 | moderation=none | moderation",
      "gpt-image-1 | partial_images=4 | partial_images",
      "gpt-image-2 | input_fidelity=high | input_fidelity",
  })
  void fieldsAModelRejects(String model, String fields, String param) {
    String style = null, rf = null, of = null, bg = null, mod = null, fid = null;
    Integer comp = null, partial = null;
    for (String kv : fields.split(",")) {
      String[] p = kv.split("=");
      switch (p[0]) {
        case "style" -> style = p[1];
        case "response_format" -> rf = p[1];
        case "output_format" -> of = p[1];
        case "background" -> bg = p[1];
        case "moderation" -> mod = p[1];
        case "input_fidelity" -> fid = p[1];
        case "output_compression" -> comp = Integer.valueOf(p[1]);
        case "partial_images" -> partial = Integer.valueOf(p[1]);
        default -> throw new IllegalArgumentException(p[0]);
      }
    }
    ImageParams params = new ImageParams(Endpoint.GENERATIONS, "a fox", model, 1, null, null, style, rf, of, comp, bg,
        mod, fid, null, partial);
    assertThat(ModelRules.check(params, false)).get().extracting(Violation::param).isEqualTo(param);
  }
}
