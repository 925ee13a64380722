package dev.imagine;

import dev.imagine.internal.models.ModelCatalog;
import dev.imagine.internal.models.ModelInfo;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What images cost, used by {@link ImageResult#cost()} and {@link ImagesClient#estimate(ImageRequest)}.
 * The standard table holds OpenAI's list prices in US dollars (December 2026): per 1M tokens by
 * kind for GPT image models, per image by size and quality for DALL·E. Resellers bill in their
 * own units, so a client can be given another table. Immutable: every change returns a new table.
 *
 * <pre>{@code
 * PriceTable mine = PriceTable.standard()
 *     .withTokenPrices("gpt-image-2-ca", PriceTable.TokenPrices.of("3", null, "5", null, "20", null))
 *     .times(new BigDecimal("0.9"));                    // a 10 % discount on everything
 * try (ImagesClient client = ImagesClient.builder().prices(mine).build()) {
 *   Optional<BigDecimal> before = client.images().prompt("a fox").estimate();
 *   Optional<BigDecimal> after = client.images().prompt("a fox").generate().cost();
 * }
 * }</pre>
 */
public final class PriceTable {
  private static final BigDecimal BATCH_FACTOR = new BigDecimal("0.5");
  private static final PriceTable STANDARD = fromCatalog();

  private final Map<String, TokenPrices> tokenPrices;
  /** Per model, per {@code "WIDTHxHEIGHT/quality"}. */
  private final Map<String, Map<String, BigDecimal>> imagePrices;

  private PriceTable(Map<String, TokenPrices> tokenPrices, Map<String, Map<String, BigDecimal>> imagePrices) {
    this.tokenPrices = Map.copyOf(tokenPrices);
    this.imagePrices = Map.copyOf(imagePrices);
  }

  /**
   * Prices per 1M tokens of each kind; {@code null} where the model has no such price.
   *
   * @param textInput prompt tokens
   * @param cachedTextInput cached prompt tokens
   * @param imageInput input image tokens (edits)
   * @param cachedImageInput cached input image tokens
   * @param imageOutput generated image tokens
   * @param textOutput generated text tokens
   */
  public record TokenPrices(BigDecimal textInput, BigDecimal cachedTextInput, BigDecimal imageInput,
      BigDecimal cachedImageInput, BigDecimal imageOutput, BigDecimal textOutput) {

    /** From decimal strings, e.g. {@code TokenPrices.of("5", "1.25", "8", "2", "30", null)}; {@code null} for none. */
    public static TokenPrices of(String textInput, String cachedTextInput, String imageInput, String cachedImageInput,
        String imageOutput, String textOutput) {
      return new TokenPrices(decimal(textInput), decimal(cachedTextInput), decimal(imageInput),
          decimal(cachedImageInput), decimal(imageOutput), decimal(textOutput));
    }

    TokenPrices times(BigDecimal f) {
      return new TokenPrices(mul(textInput, f), mul(cachedTextInput, f), mul(imageInput, f), mul(cachedImageInput, f),
          mul(imageOutput, f), mul(textOutput, f));
    }

    private static BigDecimal decimal(String s) {
      return s == null ? null : new BigDecimal(s);
    }

    private static BigDecimal mul(BigDecimal a, BigDecimal f) {
      return a == null ? null : a.multiply(f);
    }
  }

  /** OpenAI's list prices in US dollars for every model in the catalogue. */
  public static PriceTable standard() {
    return STANDARD;
  }

  /** A table that knows no prices: every cost and estimate is empty. */
  public static PriceTable empty() {
    return new PriceTable(Map.of(), Map.of());
  }

  /** This table with {@code model} priced by token (per 1M tokens), replacing what it had for that model. */
  public PriceTable withTokenPrices(String model, TokenPrices perMillion) {
    Objects.requireNonNull(perMillion, "perMillion");
    String key = key(model);
    Map<String, TokenPrices> tokens = new LinkedHashMap<>(tokenPrices);
    tokens.put(key, perMillion);
    Map<String, Map<String, BigDecimal>> images = new LinkedHashMap<>(imagePrices);
    images.remove(key);
    return new PriceTable(tokens, images);
  }

  /**
   * This table with one image of {@code model} at {@code size} and {@code quality} costing
   * {@code each}, e.g. {@code withImagePrice("dall-e-3", "1024x1024", "hd", new BigDecimal("0.08"))}.
   */
  public PriceTable withImagePrice(String model, String size, String quality, BigDecimal each) {
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(each, "each");
    String key = key(model);
    Map<String, Map<String, BigDecimal>> images = new LinkedHashMap<>(imagePrices);
    Map<String, BigDecimal> sizes = new LinkedHashMap<>(images.getOrDefault(key, Map.of()));
    sizes.put(size + "/" + quality, each);
    images.put(key, Map.copyOf(sizes));
    Map<String, TokenPrices> tokens = new LinkedHashMap<>(tokenPrices);
    tokens.remove(key);
    return new PriceTable(tokens, images);
  }

  /** This table without any price for {@code model}. */
  public PriceTable without(String model) {
    String key = key(model);
    Map<String, TokenPrices> tokens = new LinkedHashMap<>(tokenPrices);
    tokens.remove(key);
    Map<String, Map<String, BigDecimal>> images = new LinkedHashMap<>(imagePrices);
    images.remove(key);
    return new PriceTable(tokens, images);
  }

  /** Every price multiplied by {@code factor}: a discount, a markup, another currency. */
  public PriceTable times(BigDecimal factor) {
    Objects.requireNonNull(factor, "factor");
    Map<String, TokenPrices> tokens = new LinkedHashMap<>();
    tokenPrices.forEach((m, p) -> tokens.put(m, p.times(factor)));
    Map<String, Map<String, BigDecimal>> images = new LinkedHashMap<>();
    imagePrices.forEach((m, sizes) -> images.put(m, mapValues(sizes, v -> v.multiply(factor))));
    return new PriceTable(tokens, images);
  }

  /** The prices of the Batch API: half of this table's. */
  public PriceTable batch() {
    return times(BATCH_FACTOR);
  }

  /** The token prices of a model (its id or a dated alias), if it is priced by token. */
  public Optional<TokenPrices> tokenPrices(String model) {
    return Optional.ofNullable(tokenPrices.get(key(model)));
  }

  /** The price of one image of a model at a size and quality ({@code null} quality: {@code standard}), if priced per image. */
  public Optional<BigDecimal> imagePrice(String model, String size, String quality) {
    Map<String, BigDecimal> sizes = imagePrices.get(key(model));
    return sizes == null ? Optional.empty()
        : Optional.ofNullable(sizes.get(size + "/" + (quality == null ? "standard" : quality)));
  }

  @Override
  public String toString() {
    return "PriceTable[" + tokenPrices.size() + " models by token, " + imagePrices.size() + " by image]";
  }

  /** A model id as the table keys it: lower case, a dated alias as its model. */
  private static String key(String model) {
    Objects.requireNonNull(model, "model");
    return ModelCatalog.find(model).map(ModelInfo::id).orElse(model.toLowerCase(Locale.ROOT));
  }

  private static PriceTable fromCatalog() {
    Map<String, TokenPrices> tokens = new LinkedHashMap<>();
    Map<String, Map<String, BigDecimal>> images = new LinkedHashMap<>();
    for (ModelInfo m : ModelCatalog.all()) {
      if (m.tokenPrices() != null) {
        tokens.put(m.id(), m.tokenPrices());
      }
      if (!m.imagePrices().isEmpty()) {
        images.put(m.id(), m.imagePrices());
      }
    }
    return new PriceTable(tokens, images);
  }

  private static Map<String, BigDecimal> mapValues(Map<String, BigDecimal> m, UnaryOperator<BigDecimal> f) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, f.apply(v)));
    return Map.copyOf(out);
  }
}
