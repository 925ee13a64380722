package dev.imagine;

import static dev.imagine.ScriptedServer.json;
import static dev.imagine.ScriptedServer.png;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What results cost and what requests will cost, from the catalogue's prices or a replaced table. */
class CostTest {
  final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void close() {
    server.close();
  }

  static String answerWithUsage(long textIn, long imageIn, long out) {
    String b64 = Base64.getEncoder().encodeToString(png(8, 8));
    return "{\"created\":1700000000,\"data\":[{\"b64_json\":\"" + b64 + "\"}],\"size\":\"1024x1024\",\"quality\":\"medium\","
        + "\"usage\":{\"input_tokens\":" + (textIn + imageIn) + ",\"output_tokens\":" + out + ",\"total_tokens\":"
        + (textIn + imageIn + out) + ",\"input_tokens_details\":{\"text_tokens\":" + textIn + ",\"image_tokens\":" + imageIn + "}}}";
  }

  @Test
  void aGptImage2ResultCostsItsTokensAtTheCataloguePrices() {
    server.always(json(200, answerWithUsage(10, 0, 1000)));
    try (ImagesClient client = server.client()) {
      ImageResult r = client.images().prompt("a fox").model(Model.GPT_IMAGE_2).generate();

      assertThat(r.model()).isEqualTo("gpt-image-2");
      // 10 text tokens at $5 per 1M + 1,000 image tokens out at $30 per 1M
      assertThat(r.cost()).hasValueSatisfying(usd -> assertThat(usd).isEqualByComparingTo("0.03005"));
    }
  }

  @Test
  void aReplacedPriceTableGivesItsOwnFigure() {
    server.always(json(200, answerWithUsage(10, 0, 1000)));
    PriceTable reseller = PriceTable.standard()
        .withTokenPrices(Model.GPT_IMAGE_2, PriceTable.TokenPrices.of("2", null, "4", null, "12", null));
    try (ImagesClient client = server.client(ImagesClient.builder().prices(reseller))) {
      ImageResult r = client.images().prompt("a fox").model(Model.GPT_IMAGE_2).generate();

      assertThat(client.prices()).isSameAs(reseller);
      assertThat(r.cost()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.01202")); // 10×2 + 1000×12, per 1M
    }
  }

  @Test
  void editsCountInputImageTokensAtTheImageInputPrice() {
    server.always(json(200, answerWithUsage(20, 500, 1000)));
    try (ImagesClient client = server.client()) {
      ImageResult r = client.images().edit(ImageInput.of("in.png", png(16, 16))).prompt("make it blue")
          .model(Model.GPT_IMAGE_2).generate();

      assertThat(r.cost()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.0341")); // 20×5 + 500×8 + 1000×30
    }
  }

  @Test
  void unknownModelsAndMissingUsageHaveNoCost() {
    ImageResult reseller = result("gpt-image-2-ca", new Usage(10, 1000, 1010, 10L, 0L), "1024x1024", null);
    ImageResult noUsage = result(Model.GPT_IMAGE_2, null, "1024x1024", null);

    assertThat(reseller.cost()).isEmpty();
    assertThat(noUsage.cost()).isEmpty();
  }

  @Test
  void dallEIsPricedPerImageBySizeAndQuality() {
    ImageResult standard = result(Model.DALL_E_3, null, "1024x1024", null);
    ImageResult wideHd = result(Model.DALL_E_3, null, "1792x1024", Quality.HD);
    ImageResult small = result(Model.DALL_E_2, null, "256x256", null);

    assertThat(standard.cost()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.04"));
    assertThat(wideHd.cost()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.12"));
    assertThat(small.cost()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.016"));
  }

  @Test
  void estimatesBeforeSendingFollowQualitySizeAndCount() {
    try (ImagesClient client = server.client()) {
      ImageGeneration fox = client.images().prompt("a fox").model(Model.GPT_IMAGE_2); // 2 prompt tokens

      // low 1024x1024: 272 output tokens; area scales them; n multiplies them
      assertThat(fox.quality(Quality.LOW).estimate()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.00817"));
      assertThat(fox.quality(Quality.LOW).size(1536, 1024).estimate())
          .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.01225")); // 408 tokens
      assertThat(fox.quality(Quality.HIGH).n(4).estimate())
          .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.49921")); // 16,640 tokens
      assertThat(fox.estimate()).as("auto is estimated as high").isEqualTo(fox.quality(Quality.HIGH).estimate());
      assertThat(fox.quality(Quality.LOW).estimateBatch())
          .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.004085"));
      assertThat(fox.model(Model.DALL_E_3).quality(Quality.HD).estimate())
          .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.08"));
      assertThat(fox.model("gpt-image-2-ca").estimate()).as("a model without a price").isEmpty();
      assertThat(fox.model(Model.GPT_IMAGE_2_5_FLARE).quality(Quality.MAX).estimate())
          .as("a quality whose token count is not known").isEmpty();
      assertThat(server.received).as("estimates send nothing").isEmpty();
    }
  }

  @Test
  void tablesScaleAndDatedAliasesShareTheirModelsPrice() {
    PriceTable half = PriceTable.standard().batch();

    assertThat(half.tokenPrices("gpt-image-2-2026-04-21").orElseThrow().imageOutput()).isEqualByComparingTo("15");
    assertThat(PriceTable.standard().times(new BigDecimal("2")).imagePrice(Model.DALL_E_2, "1024x1024", null))
        .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.04"));
    assertThat(PriceTable.standard().without(Model.GPT_IMAGE_2).tokenPrices(Model.GPT_IMAGE_2)).isEmpty();
    assertThat(PriceTable.empty().tokenPrices(Model.GPT_IMAGE_2)).isEmpty();
  }

  static ImageResult result(String model, Usage usage, String size, String quality) {
    ImageRequest request = ImageRequest.builder().prompt("p").model(model).size(size).quality(quality).build();
    GeneratedImage image = new GeneratedImage(png(8, 8), 0, "p", null, null);
    return new ImageResult(request, Instant.EPOCH, List.of(image), usage, size, null, null, null, null, Duration.ZERO);
  }
}
