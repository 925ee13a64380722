package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class GenerationsTest extends SharedBackend {

  @Test
  void theOfficialGptImageExampleGetsOneBase64PngWithUsageAndTheImageFields() {
    Http.Answer a = Http.post(url, "{\"model\":\"gpt-image-1\",\"prompt\":\"A cute baby sea otter\",\"n\":1,\"size\":\"1024x1024\"}");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("content-type")).isEqualTo("application/json");
    JsonNode body = a.json();
    assertThat(body.get("created").asLong()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    assertThat(body.get("data")).hasSize(1);
    assertThat(body.get("data").get(0).has("url")).isFalse();
    BufferedImage img = Http.decode(body.get("data").get(0).get("b64_json").asText());
    assertThat(img.getWidth()).isEqualTo(1024);
    assertThat(img.getHeight()).isEqualTo(1024);
    assertThat(body.get("output_format").asText()).isEqualTo("png");
    assertThat(body.get("size").asText()).isEqualTo("1024x1024");
    assertThat(body.get("quality").asText()).isEqualTo("medium");
    assertThat(body.get("background").asText()).isEqualTo("opaque");
    JsonNode usage = body.get("usage");
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(1056);
    assertThat(usage.get("total_tokens").asLong())
        .isEqualTo(usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong());
    assertThat(usage.get("input_tokens_details").get("text_tokens").asLong()).isPositive();
  }

  @Test
  void everyAnswerCarriesARequestIdAndRateLimitHeaders() {
    Http.Answer a = Http.post(url, "{\"prompt\":\"headers\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
    Http.Answer b = Http.post(url, "{\"prompt\":\"headers\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertThat(a.header("x-request-id")).matches("req_[0-9a-f]{32}").isNotEqualTo(b.header("x-request-id"));
    assertThat(a.header("x-ratelimit-limit-requests")).isEqualTo("5000");
    assertThat(Long.parseLong(b.header("x-ratelimit-remaining-requests")))
        .isLessThan(Long.parseLong(a.header("x-ratelimit-remaining-requests")));
    assertThat(a.header("x-ratelimit-reset-requests")).matches("\\d+ms");
    assertThat(a.header("openai-processing-ms")).matches("\\d+");
  }

  @Test
  void onlyAPromptIsNeededAndTheDefaultsAreGptImage1At1024() {
    JsonNode body = Http.post(url, "{\"prompt\":\"defaults only\"}").json();

    assertThat(body.get("size").asText()).isEqualTo("1024x1024");
    BufferedImage img = Http.decode(body.get("data").get(0).get("b64_json").asText());
    assertThat(img.getWidth()).isEqualTo(1024);
    assertThat(body.get("usage")).isNotNull(); // a GPT image model answered
  }

  @Test
  void theSameRequestGivesTheSameBytesAndAnotherPromptOtherBytes() {
    String req = "{\"model\":\"gpt-image-1\",\"prompt\":\"a lighthouse at dusk\",\"size\":\"1536x1024\"}";
    String first = Http.post(url, req).json().get("data").get(0).get("b64_json").asText();
    String again = Http.post(url, req).json().get("data").get(0).get("b64_json").asText();
    String other = Http.post(url, req.replace("dusk", "dawn")).json().get("data").get(0).get("b64_json").asText();

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    BufferedImage img = Http.decode(first);
    assertThat(img.getWidth()).isEqualTo(1536);
    assertThat(img.getHeight()).isEqualTo(1024);
  }

  @Test
  void nImagesAreDistinctPicturesOfTheSamePrompt() {
    JsonNode data = Http.post(url, "{\"prompt\":\"three cats\",\"n\":3,\"quality\":\"low\"}").json().get("data");

    assertThat(data).hasSize(3);
    assertThat(data.get(0).get("b64_json").asText())
        .isNotEqualTo(data.get(1).get("b64_json").asText())
        .isNotEqualTo(data.get(2).get("b64_json").asText());
  }

  @Test
  void aRealisticallySizedPngOfAFewMegabytesOfBase64() {
    String b64 = Http.post(url, "{\"prompt\":\"weight\"}").json().get("data").get(0).get("b64_json").asText();
    // real 1024x1024 PNGs are 1-3 MB; the fixture must load clients the same way
    assertThat(Base64.getDecoder().decode(b64).length).isBetween(1_000_000, 3_000_000);
  }

  @Test
  void jpegOutputIsAJpegOfTheRequestedSize() {
    JsonNode body = Http.post(url, "{\"prompt\":\"jpeg please\",\"output_format\":\"jpeg\",\"output_compression\":80,"
        + "\"size\":\"1024x1536\"}").json();

    byte[] bytes = Base64.getDecoder().decode(body.get("data").get(0).get("b64_json").asText());
    assertThat(bytes[0] & 0xff).isEqualTo(0xFF);
    assertThat(bytes[1] & 0xff).isEqualTo(0xD8);
    assertThat(Http.read(bytes).getHeight()).isEqualTo(1536);
    assertThat(body.get("output_format").asText()).isEqualTo("jpeg");
  }

  @Test
  void webpIsAClear400BecauseTheJvmHasNoEncoder() {
    Http.Answer a = Http.post(url, "{\"prompt\":\"webp\",\"output_format\":\"webp\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("param").asText()).isEqualTo("output_format");
    assertThat(a.error().get("message").asText()).contains("webp", "local backend", "png or jpeg");
  }

  @Test
  void aTransparentBackgroundGivesAnRgbaPngWithClearPixels() {
    JsonNode body = Http.post(url, "{\"prompt\":\"cut out\",\"background\":\"transparent\"}").json();

    BufferedImage img = Http.decode(body.get("data").get(0).get("b64_json").asText());
    assertThat(img.getColorModel().hasAlpha()).isTrue();
    assertThat(body.get("background").asText()).isEqualTo("transparent");
    int clear = 0;
    for (int x = 0; x < img.getWidth(); x += 16) {
      for (int y = 0; y < img.getHeight(); y += 16) {
        clear += (img.getRGB(x, y) >>> 24) == 0 ? 1 : 0;
      }
    }
    assertThat(clear).isPositive();
  }

  @Test
  void dallE3AnswersWithADownloadableUrlAndARevisedPrompt() {
    JsonNode body = Http.post(url, "{\"model\":\"dall-e-3\",\"prompt\":\"A colorful sunset over the mountains\","
        + "\"n\":1,\"size\":\"1024x1792\",\"quality\":\"hd\"}").json();

    JsonNode item = body.get("data").get(0);
    assertThat(item.has("b64_json")).isFalse();
    assertThat(item.get("revised_prompt").asText()).contains("A colorful sunset over the mountains");
    assertThat(body.has("usage")).isFalse();
    Http.Answer file = Http.get(item.get("url").asText());
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.header("content-type")).isEqualTo("image/png");
    BufferedImage img = Http.read(file.body());
    assertThat(img.getWidth()).isEqualTo(1024);
    assertThat(img.getHeight()).isEqualTo(1792);
  }

  @Test
  void dallE2GivesBase64WhenAskedAndUrlsByDefault() {
    JsonNode b64 = Http.post(url, "{\"model\":\"dall-e-2\",\"prompt\":\"small\",\"size\":\"256x256\","
        + "\"response_format\":\"b64_json\",\"n\":2}").json();
    JsonNode urls = Http.post(url, "{\"model\":\"dall-e-2\",\"prompt\":\"small\",\"size\":\"256x256\"}").json();

    assertThat(b64.get("data")).hasSize(2);
    assertThat(Http.decode(b64.get("data").get(1).get("b64_json").asText()).getWidth()).isEqualTo(256);
    assertThat(urls.get("data").get(0).get("url").asText()).startsWith(backend.baseUrl() + "/files/").endsWith(".png");
    assertThat(urls.get("data").get(0).has("revised_prompt")).isFalse();
  }

  @Test
  void theSeedsRequestToAResellerGetsUrls() {
    Http.Answer a = Http.post(url, "{\"prompt\":\"A colorful sunset over the mountains\",\"n\":1,\"model\":\"dall-e-3\",\"size\":\"1024x1024\"}");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("data").get(0).get("url").asText()).startsWith("http://127.0.0.1:");
  }

  @Test
  void unknownModelsAreServedLikeGptImageModelsAndUnknownFieldsIgnored() {
    Http.Answer a = Http.post(url, "{\"model\":\"gpt-image-2-ca\",\"prompt\":\"reseller\",\"size\":\"1024x1536\","
        + "\"watermark\":false}");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("data").get(0).has("b64_json")).isTrue();
    assertThat(a.json().get("usage")).isNotNull();
  }

  @Test
  void gptImage2MakesFreeSizes() {
    JsonNode body = Http.post(url, "{\"model\":\"gpt-image-2\",\"prompt\":\"wide\",\"size\":\"2048x1152\",\"quality\":\"low\"}").json();

    BufferedImage img = Http.decode(body.get("data").get(0).get("b64_json").asText());
    assertThat(img.getWidth()).isEqualTo(2048);
    assertThat(img.getHeight()).isEqualTo(1152);
    assertThat(body.get("usage").get("output_tokens").asLong()).isEqualTo(Math.round(272 * 2048 * 1152 / (1024.0 * 1024)));
  }

  @Test
  void modelsAreListedAndLookedUp() {
    JsonNode list = Http.get(backend.baseUrl() + "/models").json();
    Http.Answer one = Http.get(backend.baseUrl() + "/models/dall-e-3");
    Http.Answer none = Http.get(backend.baseUrl() + "/models/gpt-9");

    assertThat(list.get("object").asText()).isEqualTo("list");
    assertThat(list.get("data").findValuesAsText("id")).as("the live models, the best first").containsExactly(
        "gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst", "gpt-image-2.6-flare", "gpt-image-2.6-sunburst");
    assertThat(one.json().get("id").asText()).isEqualTo("dall-e-3");
    assertThat(one.json().get("shutdown_date").asText()).as("still served, so it can be looked up").isEqualTo("2026-05-12");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.error().get("code").asText()).isEqualTo("model_not_found");
  }
}
