package dev.imagine.internal.models;

import dev.imagine.PriceTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the project knows of one image model: one row of {@link ModelCatalog}.
 *
 * @param id the model id sent on the wire, e.g. {@code gpt-image-2}
 * @param aliases other ids of the same model (dated snapshots), e.g. {@code gpt-image-2-2026-04-21}
 * @param family which family's answer shape and rules it follows
 * @param shutdownDate the day OpenAI shut it down (or will), or {@code null} while no date is announced
 * @param replacement the model OpenAI names as its replacement, or {@code null}
 * @param sizes the sizes it makes
 * @param qualities the {@code quality} values it takes; empty when any may be tried
 * @param fields the optional API fields it accepts beyond prompt, n, size, model, quality and user
 * @param outputFormats the {@code output_format} values it takes (empty for DALL·E, which takes none)
 * @param edits whether it makes edits ({@code /images/edits}); every model makes generations
 * @param variations whether it makes variations ({@code /images/variations}): only dall-e-2
 * @param maxPromptLength the longest prompt in characters
 * @param maxN the most images per request
 * @param tokenPrices USD per 1M tokens by kind (GPT image models), or {@code null}
 * @param imagePrices USD per image by {@code "WIDTHxHEIGHT/quality"} (DALL·E), empty when priced by token
 * @param outputTokens image output tokens of one 1024x1024 image by quality, for estimates before sending
 */
public record ModelInfo(
    String id,
    List<String> aliases,
    Family family,
    LocalDate shutdownDate,
    String replacement,
    Sizes sizes,
    List<String> qualities,
    Set<String> fields,
    List<String> outputFormats,
    boolean edits,
    boolean variations,
    int maxPromptLength,
    int maxN,
    PriceTable.TokenPrices tokenPrices,
    Map<String, BigDecimal> imagePrices,
    Map<String, Long> outputTokens) {

  /** The families of image models: their answers and rules differ. */
  public enum Family {
    /** dall-e-2 and dall-e-3: {@code url} answers by default, no usage, priced per image. */
    DALL_E("DALL·E"),
    /** gpt-image-1, -1-mini, -1.5 and chatgpt-image-latest: {@code b64_json} answers, usage, fixed sizes. */
    GPT_IMAGE("GPT image"),
    /** gpt-image-2 and its 2.5/2.6 successors: any size within limits, no {@code input_fidelity}. */
    GPT_IMAGE_2("GPT image 2.x");

    private final String label;

    Family(String label) {
      this.label = label;
    }

    /** Whether models of this family answer with {@code b64_json} and report usage. */
    public boolean isGptImage() {
      return this != DALL_E;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * The sizes a model makes: a fixed list, or (gpt-image-2 on) any size whose edges are multiples
   * of 16, aspect 1:3 to 3:1, edges up to {@code maxEdge} and pixels within {@code minPixels..maxPixels}.
   */
  public record Sizes(List<String> fixed, int maxEdge, long minPixels, long maxPixels) {
    private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,5})x([1-9][0-9]{0,5})");

    public static Sizes of(String... sizes) {
      return new Sizes(List.of(sizes), 0, 0, 0);
    }

    public static Sizes flexible(int maxEdge, long minPixels, long maxPixels) {
      return new Sizes(List.of(), maxEdge, minPixels, maxPixels);
    }

    public boolean isFlexible() {
      return fixed.isEmpty();
    }

    /** {@code {width, height}} of a {@code WIDTHxHEIGHT} size, or {@code null} for {@code auto} and malformed sizes. */
    public static int[] dimensions(String size) {
      Matcher m = size == null ? null : SIZE.matcher(size);
      return m == null || !m.matches() ? null : new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
  }

  /** Whether OpenAI had shut the model down by {@code day}. */
  public boolean isShutDown(LocalDate day) {
    return shutdownDate != null && !day.isBefore(shutdownDate);
  }

  /** Whether the model takes this optional field ({@code style}, {@code background}, ...). */
  public boolean accepts(String field) {
    return fields.contains(field);
  }

  /** The same rules under another id: what the local backend applies to a model it does not know. */
  ModelInfo as(String otherId) {
    return new ModelInfo(otherId, List.of(), family, null, null, sizes, qualities, fields, outputFormats,
        edits, variations, maxPromptLength, maxN, null, Map.of(), outputTokens);
  }
}
