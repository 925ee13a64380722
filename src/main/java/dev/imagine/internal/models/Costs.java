package dev.imagine.internal.models;

import dev.imagine.ImageInput;
import dev.imagine.ImageRequest;
import dev.imagine.PriceTable;
import dev.imagine.PriceTable.TokenPrices;
import dev.imagine.Usage;
import dev.imagine.internal.ImageFormats;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Dollars from a price table: of a result (from its usage, or per image for DALL·E) and of a
 * request before it is sent (from the catalogue's token counts per quality and size).
 */
public final class Costs {
  private static final int[] SQUARE_1024 = {1024, 1024};

  private Costs() {}

  /**
   * What a result cost. Token-priced models need {@code usage}; the Images API reports no
   * breakdown of output tokens, so all of them are counted as image tokens, and when the input
   * breakdown is missing, input tokens count as text (generations) or image tokens (edits).
   *
   * @param images how many images came back
   */
  public static Optional<BigDecimal> of(PriceTable prices, String model, Usage usage, int images, String size,
      String quality, boolean edit) {
    if (model == null) {
      return Optional.empty();
    }
    Optional<TokenPrices> tokens = prices.tokenPrices(model);
    if (tokens.isPresent()) {
      if (usage == null) {
        return Optional.empty();
      }
      long text = usage.textTokens() != null ? usage.textTokens() : edit ? 0 : usage.inputTokens();
      long image = usage.imageTokens() != null ? usage.imageTokens() : edit ? usage.inputTokens() : 0;
      return tokenCost(tokens.get(), text, image, usage.outputTokens());
    }
    return prices.imagePrice(model, size, quality).map(each -> each.multiply(BigDecimal.valueOf(images)));
  }

  /**
   * What a request would cost: prompt tokens at about 4 characters each, input images by their
   * size, and output tokens for the quality and size asked ({@code auto} and unset quality are
   * estimated as {@code high}, the most they can cost). Empty when the model or its quality has no price or token count.
   *
   * @param model the model the request goes to (its own, or the client's default when it has none)
   */
  public static Optional<BigDecimal> estimate(PriceTable prices, ImageRequest r, String model) {
    if (model == null) {
      return Optional.empty();
    }
    Optional<TokenPrices> tokens = prices.tokenPrices(model);
    if (tokens.isEmpty()) {
      String quality = r.quality() == null ? "standard" : r.quality();
      return prices.imagePrice(model, r.size(), quality).map(each -> each.multiply(BigDecimal.valueOf(r.n())));
    }
    Optional<ModelInfo> info = ModelCatalog.find(model);
    String quality = r.quality() == null || r.quality().equals("auto") ? "high" : r.quality();
    Long perImage = info.map(i -> i.outputTokens().get(quality)).orElse(null);
    int[] size = dimensions(r.size());
    if (perImage == null || size == null) {
      return Optional.empty();
    }
    long output = r.n() * Math.max(1, Math.round(perImage * (double) size[0] * size[1] / (1024 * 1024)));
    long text = r.prompt() == null ? 0 : Math.max(1, (r.prompt().codePointCount(0, r.prompt().length()) + 3) / 4);
    long image = 0;
    for (ImageInput input : r.images()) {
      image += ModelCatalog.inputImageTokens(ImageFormats.dimensions(input.bytes()));
    }
    return tokenCost(tokens.get(), text, image, output);
  }

  private static Optional<BigDecimal> tokenCost(TokenPrices p, long text, long image, long output) {
    if (p.imageOutput() == null || text > 0 && p.textInput() == null || image > 0 && p.imageInput() == null) {
      return Optional.empty();
    }
    BigDecimal perMillion = p.imageOutput().multiply(BigDecimal.valueOf(output));
    if (text > 0) {
      perMillion = perMillion.add(p.textInput().multiply(BigDecimal.valueOf(text)));
    }
    if (image > 0) {
      perMillion = perMillion.add(p.imageInput().multiply(BigDecimal.valueOf(image)));
    }
    return Optional.of(perMillion.movePointLeft(6).stripTrailingZeros());
  }

  private static int[] dimensions(String size) {
    return size == null || size.equals("auto") ? SQUARE_1024 : ModelInfo.Sizes.dimensions(size);
  }
}
