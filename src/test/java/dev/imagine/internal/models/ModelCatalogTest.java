package dev.imagine.internal.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.Model;
import dev.imagine.PriceTable;
import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.rules.ImageParams.Endpoint;
import dev.imagine.internal.rules.ModelRules;
import dev.imagine.internal.rules.Violation;
import java.lang.reflect.Field;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCatalogTest {
  static final LocalDate DECEMBER_2026 = LocalDate.of(2026, 12, 2);

  @Test
  void everyModelConstantIsOneCatalogueEntryAndBack() throws Exception {
    List<String> constants = new ArrayList<>();
    for (Field f : Model.class.getFields()) {
      constants.add((String) f.get(null));
    }
    assertThat(ModelCatalog.all()).extracting(ModelInfo::id).containsExactlyInAnyOrderElementsOf(constants);
  }

  @Test
  void liveModelsComeFirstInOrderOfPreference() {
    assertThat(ModelCatalog.liveIds(DECEMBER_2026)).containsExactly("gpt-image-2", "gpt-image-2.5-flare",
        "gpt-image-2.5-sunburst", "gpt-image-2.6-flare", "gpt-image-2.6-sunburst");
    assertThat(ModelCatalog.liveIds(LocalDate.of(2026, 11, 30))).as("the day before three were shut down")
        .contains("gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest").doesNotContain("gpt-image-1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "gpt-image-2.5-flare,gpt-image-2,dall-e-3 | gpt-image-2",
      "gpt-image-2.6-sunburst,gpt-image-2.5-flare | gpt-image-2.5-flare",
      "gpt-image-1,dall-e-3,gpt-4o | gpt-image-2",
      "gpt-image-2-ca,whisper-1 | gpt-image-2",
      "GPT-IMAGE-2.6-FLARE | gpt-image-2.6-flare",
  })
  void theDefaultIsTheBestLiveModelTheServerLists(String listed, String expected) {
    assertThat(ModelCatalog.preferred(List.of(listed.split(",")), Set.of(), DECEMBER_2026)).isEqualTo(expected);
  }

  @Test
  void aModelTheServerMarksShutDownIsNotChosen() {
    assertThat(ModelCatalog.preferred(List.of("gpt-image-2", "gpt-image-2.5-flare"), Set.of("gpt-image-2"), DECEMBER_2026))
        .isEqualTo("gpt-image-2.5-flare");
  }

  @Test
  void shutDownModelsSayWhenAndWhatReplacesThem() {
    assertThat(ModelCatalog.shutDownNotice("dall-e-3", DECEMBER_2026))
        .hasValue("dall-e-3 was shut down by OpenAI on 2026-05-12; use gpt-image-2 instead");
    assertThat(ModelCatalog.shutDownNotice("gpt-image-1", DECEMBER_2026)).hasValueSatisfying(s -> assertThat(s).contains("2026-10-23"));
    assertThat(ModelCatalog.shutDownNotice("gpt-image-1.5-2025-12-16", DECEMBER_2026))
        .hasValueSatisfying(s -> assertThat(s).contains("2026-12-01"));
    assertThat(ModelCatalog.shutDownNotice("gpt-image-2", DECEMBER_2026)).isEmpty();
    assertThat(ModelCatalog.shutDownNotice("gpt-image-2-ca", DECEMBER_2026)).isEmpty();
  }

  @Test
  void standardPricesComeFromTheCatalogue() {
    PriceTable t = PriceTable.standard();
    for (ModelInfo m : ModelCatalog.all()) {
      assertThat(t.tokenPrices(m.id()).orElse(null)).as(m.id()).isEqualTo(m.tokenPrices());
    }
    assertThat(t.tokenPrices("gpt-image-1").orElseThrow().imageOutput()).isEqualByComparingTo("40");
    assertThat(t.imagePrice("dall-e-3", "1024x1792", "hd")).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("0.12"));
  }

  static ImageParams gen(String model, String quality, String outputFormat) {
    return new ImageParams(Endpoint.GENERATIONS, "a fox", model, 1, null, quality, null, null, outputFormat, null, null,
        null, null, null, null);
  }

  @ParameterizedTest(name = "{0} quality={1} output_format={2} -> {3}")
  @CsvSource({
      "gpt-image-2, xhigh, , quality",
      "gpt-image-2.5-flare, xhigh, , ",
      "gpt-image-2.5-sunburst, max, , ",
      "gpt-image-2.5-flare, , gif, output_format",
      "gpt-image-2.6-flare, max, gif, ",
      "gpt-image-2.6-sunburst, , svg, ",
      "gpt-image-2-ca, ultra, gif, ",
      "some-reseller-model, , tiff, output_format",
  })
  void newerModelsAddQualitiesAndFormatsAndUnknownOnesPass(String model, String quality, String format, String broken) {
    assertThat(ModelRules.check(gen(model, quality, format), false).map(Violation::param).orElse(null)).isEqualTo(broken);
  }

  @Test
  void dallE3CannotEditAndOnlyDallE2MakesVariations() {
    ImageParams edit = new ImageParams(Endpoint.EDITS, "a fox", "dall-e-3", 1, null, null, null, null, null, null, null,
        null, null, null, null);
    assertThat(ModelRules.check(edit, false)).hasValueSatisfying(v -> {
      assertThat(v.param()).isEqualTo("model");
      assertThat(v.message()).contains("dall-e-3 cannot make edits");
    });
  }
}
