package dev.imagine.internal.models;

import dev.imagine.PriceTable.TokenPrices;
import dev.imagine.internal.models.ModelInfo.Family;
import dev.imagine.internal.models.ModelInfo.Sizes;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every image model the project knows, in one table: the client's checks, the local backend, the
 * REPL's completion, the default model and the prices all read it, so a new model is one entry in
 * {@link #MODELS}. Facts as of December 2026 (see docs/models.md). Ids not in the table are never
 * refused: a reseller's {@code gpt-image-2-ca} passes through and the server decides.
 */
public final class ModelCatalog {
  /** The model used when none is set and the server lists no image model the catalogue prefers. */
  public static final String FALLBACK_MODEL = "gpt-image-2";

  private static final Set<String> GPT_FIELDS =
      Set.of("output_format", "output_compression", "background", "moderation", "stream", "partial_images");
  private static final Set<String> GPT_IMAGE_1_FIELDS = union(GPT_FIELDS, Set.of("input_fidelity"));
  private static final Set<String> GPT_IMAGE_2_6_FIELDS =
      union(GPT_FIELDS, Set.of("complexity", "frame_count", "frame_duration_ms"));
  private static final List<String> GPT_QUALITIES = List.of("low", "medium", "high", "auto");
  private static final List<String> GPT_2_5_QUALITIES = List.of("low", "medium", "high", "xhigh", "max", "auto");
  private static final List<String> GPT_FORMATS = List.of("png", "jpeg", "webp");
  private static final List<String> GPT_2_6_FORMATS = List.of("png", "jpeg", "webp", "gif", "svg");
  private static final Sizes GPT_IMAGE_1_SIZES = Sizes.of("1024x1024", "1536x1024", "1024x1536", "auto");
  private static final Sizes GPT_IMAGE_2_SIZES = Sizes.flexible(3840, 655_360, 8_294_400);
  /** Output tokens of one 1024x1024 image by quality (OpenAI's published counts; 2.x assumed alike). */
  private static final Map<String, Long> GPT_OUTPUT_TOKENS = Map.of("low", 272L, "medium", 1056L, "high", 4160L);
  private static final TokenPrices GPT_IMAGE_2_PRICES = TokenPrices.of("5", "1.25", "8", "2", "30", null);

  private static final LocalDate DALL_E_SHUTDOWN = LocalDate.of(2026, 5, 12);
  private static final LocalDate GPT_IMAGE_1_SHUTDOWN = LocalDate.of(2026, 10, 23);
  private static final LocalDate GPT_IMAGE_1_5_SHUTDOWN = LocalDate.of(2026, 12, 1);

  /** Live models first, in the order the default model is chosen; then the shut-down ones. */
  private static final List<ModelInfo> MODELS = List.of(
      gptImage2("gpt-image-2", List.of("gpt-image-2-2026-04-21"), GPT_QUALITIES, GPT_FIELDS, GPT_FORMATS),
      gptImage2("gpt-image-2.5-flare", List.of("gpt-image-2.5-flare-2026-09-08"), GPT_2_5_QUALITIES, GPT_FIELDS, GPT_FORMATS),
      gptImage2("gpt-image-2.5-sunburst", List.of("gpt-image-2.5-sunburst-2026-09-08"), GPT_2_5_QUALITIES, GPT_FIELDS,
          GPT_FORMATS),
      gptImage2("gpt-image-2.6-flare", List.of(), GPT_2_5_QUALITIES, GPT_IMAGE_2_6_FIELDS, GPT_2_6_FORMATS),
      gptImage2("gpt-image-2.6-sunburst", List.of(), GPT_2_5_QUALITIES, GPT_IMAGE_2_6_FIELDS, GPT_2_6_FORMATS),
      gptImage1("gpt-image-1.5", List.of("gpt-image-1.5-2025-12-16"), GPT_IMAGE_1_5_SHUTDOWN,
          TokenPrices.of("5", null, "8", null, "32", "10")),
      gptImage1("gpt-image-1-mini", List.of(), GPT_IMAGE_1_5_SHUTDOWN, TokenPrices.of("2", "0.20", "2.50", "0.25", "8", null)),
      gptImage1("chatgpt-image-latest", List.of(), GPT_IMAGE_1_5_SHUTDOWN, null),
      gptImage1("gpt-image-1", List.of(), GPT_IMAGE_1_SHUTDOWN, TokenPrices.of("5", "1.25", "10", "2.50", "40", null)),
      new ModelInfo("dall-e-3", List.of(), Family.DALL_E, DALL_E_SHUTDOWN, FALLBACK_MODEL,
          Sizes.of("1024x1024", "1792x1024", "1024x1792"), List.of("standard", "hd"), Set.of("style", "response_format"),
          List.of(), false, false, 4000, 1, null,
          prices("1024x1024/standard", "0.04", "1024x1024/hd", "0.08", "1792x1024/standard", "0.08",
              "1792x1024/hd", "0.12", "1024x1792/standard", "0.08", "1024x1792/hd", "0.12"), Map.of()),
      new ModelInfo("dall-e-2", List.of(), Family.DALL_E, DALL_E_SHUTDOWN, FALLBACK_MODEL,
          Sizes.of("256x256", "512x512", "1024x1024"), List.of("standard"), Set.of("response_format"),
          List.of(), true, true, 1000, 10, null,
          prices("256x256/standard", "0.016", "512x512/standard", "0.018", "1024x1024/standard", "0.02"), Map.of()));

  private static final Map<String, ModelInfo> BY_ID = index();

  private ModelCatalog() {}

  private static ModelInfo gptImage2(String id, List<String> aliases, List<String> qualities, Set<String> fields,
      List<String> formats) {
    return new ModelInfo(id, aliases, Family.GPT_IMAGE_2, null, null, GPT_IMAGE_2_SIZES, qualities, fields, formats,
        true, false, 32_000, 10, GPT_IMAGE_2_PRICES, Map.of(), GPT_OUTPUT_TOKENS);
  }

  private static ModelInfo gptImage1(String id, List<String> aliases, LocalDate shutdown, TokenPrices prices) {
    return new ModelInfo(id, aliases, Family.GPT_IMAGE, shutdown, FALLBACK_MODEL, GPT_IMAGE_1_SIZES, GPT_QUALITIES,
        GPT_IMAGE_1_FIELDS, GPT_FORMATS, true, false, 32_000, 10, prices, Map.of(), GPT_OUTPUT_TOKENS);
  }

  /** Every known model, live ones first in order of preference. */
  public static List<ModelInfo> all() {
    return MODELS;
  }

  /** The entry for an id or one of its aliases, any case; empty for ids the catalogue does not know. */
  public static Optional<ModelInfo> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(BY_ID.get(id.toLowerCase(Locale.ROOT)));
  }

  /**
   * The rules the local backend applies to an id it does not know (a reseller's): those of
   * gpt-image-1, the GPT image family's common ground.
   */
  public static ModelInfo strictRulesFor(String id) {
    return find("gpt-image-1").orElseThrow().as(id);
  }

  /** Today in UTC, the day shutdown dates are compared with. */
  public static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** The ids of the models not shut down on {@code day}, in order of preference. */
  public static List<String> liveIds(LocalDate day) {
    return MODELS.stream().filter(m -> !m.isShutDown(day)).map(ModelInfo::id).toList();
  }

  /**
   * The best live model among those a server lists, by the catalogue's order of preference;
   * {@link #FALLBACK_MODEL} when it lists none of them.
   *
   * @param listed the ids a server's {@code GET /models} gave
   * @param serverShutDown ids the server itself marks with a past {@code shutdown_date}
   */
  public static String preferred(Collection<String> listed, Collection<String> serverShutDown, LocalDate day) {
    Set<String> ids = new HashSet<>();
    listed.forEach(id -> ids.add(id.toLowerCase(Locale.ROOT)));
    serverShutDown.forEach(id -> ids.remove(id.toLowerCase(Locale.ROOT)));
    for (ModelInfo m : MODELS) {
      if (!m.isShutDown(day) && ids.contains(m.id())) {
        return m.id();
      }
    }
    return FALLBACK_MODEL;
  }

  /**
   * One line saying that a known model was shut down and what replaces it, e.g. "dall-e-3 was shut
   * down by OpenAI on 2026-05-12; use gpt-image-2"; empty while the model is live.
   */
  public static Optional<String> shutDownNotice(String id, LocalDate day) {
    return find(id).filter(m -> m.isShutDown(day)).map(m -> id + " was shut down by OpenAI on " + m.shutdownDate()
        + (m.replacement() == null ? "" : "; use " + m.replacement() + " instead"));
  }

  /**
   * Input tokens GPT image models count for an image of this size: 65 plus 129 per 512-pixel tile
   * (OpenAI's vision rule), or 323 when the size is unknown.
   */
  public static long inputImageTokens(int[] widthHeight) {
    if (widthHeight == null || widthHeight[0] <= 0 || widthHeight[1] <= 0) {
      return 323;
    }
    return 65 + 129L * ((widthHeight[0] + 511) / 512) * ((widthHeight[1] + 511) / 512);
  }

  private static Map<String, ModelInfo> index() {
    Map<String, ModelInfo> m = new LinkedHashMap<>();
    for (ModelInfo info : MODELS) {
      m.put(info.id(), info);
      info.aliases().forEach(a -> m.put(a, info));
    }
    return Map.copyOf(m);
  }

  private static Map<String, BigDecimal> prices(String... keysAndPrices) {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndPrices.length; i += 2) {
      m.put(keysAndPrices[i], new BigDecimal(keysAndPrices[i + 1]));
    }
    return Map.copyOf(m);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return Set.copyOf(s);
  }
}
