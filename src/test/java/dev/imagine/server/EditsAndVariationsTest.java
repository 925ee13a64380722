package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EditsAndVariationsTest {
  static LocalBackend backend;
  static String edits;
  static String variations;
  static final byte[] SQUARE = Http.png(64, 64, 0x336699);

  @BeforeAll
  static void start() {
    backend = LocalBackend.start();
    edits = backend.baseUrl() + "/images/edits";
    variations = backend.baseUrl() + "/images/variations";
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @Test
  void anEditWithOneImagePartGivesABase64PngAndCountsAsAnEdit() {
    long before = backend.generationCount("edits");
    Http.Answer a = new Http.Form()
        .file("image", "otter.png", "image/png", SQUARE)
        .field("prompt", "add a hat")
        .field("model", "gpt-image-1")
        .post(edits);

    assertThat(a.status()).as(a.text()).isEqualTo(200);
    BufferedImage img = Http.decode(a.json().get("data").get(0).get("b64_json").asText());
    assertThat(img.getWidth()).isEqualTo(1024);
    assertThat(a.json().get("usage").get("input_tokens_details").get("image_tokens").asLong()).isPositive();
    assertThat(backend.generationCount("edits")).isEqualTo(before + 1);
  }

  @Test
  void theOfficialEditExampleWithSixteenImagePartsAndAMaskIsAccepted() {
    Http.Form form = new Http.Form().field("model", "gpt-image-1").field("prompt", "a gift basket of all these")
        .field("size", "1024x1536").field("quality", "low");
    for (int i = 0; i < 16; i++) {
      form.file("image[]", "item-" + i + ".png", "image/png", Http.png(64, 64, i * 0x10101));
    }
    form.file("mask", "mask.png", "image/png", Http.png(64, 64, 0));

    Http.Answer a = form.post(edits);

    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(Http.decode(a.json().get("data").get(0).get("b64_json").asText()).getHeight()).isEqualTo(1536);
  }

  @Test
  void editsOfDifferentPicturesWithOnePromptDiffer() {
    String one = new Http.Form().file("image", "a.png", "image/png", Http.png(32, 32, 0x112233))
        .field("prompt", "same prompt").field("quality", "low").post(edits).json().get("data").get(0).get("b64_json").asText();
    String two = new Http.Form().file("image", "a.png", "image/png", Http.png(32, 32, 0x445566))
        .field("prompt", "same prompt").field("quality", "low").post(edits).json().get("data").get(0).get("b64_json").asText();

    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void seventeenImagesAreTooMany() {
    Http.Form form = new Http.Form().field("prompt", "too many");
    for (int i = 0; i < 17; i++) {
      form.file("image[]", i + ".png", "image/png", SQUARE);
    }
    Http.Answer a = form.post(edits);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("param").asText()).isEqualTo("image");
    assertThat(a.error().get("message").asText()).contains("Too many images: 17", "16");
  }

  @Test
  void anEditWithoutImageOrPromptIsA400() {
    Http.Answer noImage = new Http.Form().field("prompt", "nothing to edit").post(edits);
    Http.Answer noPrompt = new Http.Form().file("image", "a.png", "image/png", SQUARE).post(edits);

    assertThat(noImage.status()).isEqualTo(400);
    assertThat(noImage.error().get("param").asText()).isEqualTo("image");
    assertThat(noImage.error().get("message").asText()).contains("Missing required parameter: 'image'");
    assertThat(noPrompt.status()).isEqualTo(400);
    assertThat(noPrompt.error().get("param").asText()).isEqualTo("prompt");
  }

  @Test
  void aFilePartNeedsAFilenameAndAnImageContentTypeThatMatchesItsBytes() {
    Http.Answer noName = new Http.Form().file("image", null, "image/png", SQUARE).field("prompt", "p").post(edits);
    Http.Answer octets = new Http.Form().file("image", "a.png", "application/octet-stream", SQUARE).field("prompt", "p").post(edits);
    Http.Answer lying = new Http.Form().file("image", "a.png", "image/png", "not a png".getBytes()).field("prompt", "p").post(edits);

    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.error().get("param").asText()).isEqualTo("image");
    assertThat(noName.error().get("message").asText()).contains("as a file part");
    assertThat(octets.status()).isEqualTo(400);
    assertThat(octets.error().get("message").asText()).contains("unsupported mimetype ('application/octet-stream')");
    assertThat(lying.status()).isEqualTo(400);
    assertThat(lying.error().get("message").asText()).contains("not a PNG image");
  }

  @Test
  void aMaskOfAnotherSizeIsA400() {
    Http.Answer a = new Http.Form().file("image", "a.png", "image/png", SQUARE)
        .file("mask", "m.png", "image/png", Http.png(32, 32, 0)).field("prompt", "p").post(edits);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("param").asText()).isEqualTo("mask");
    assertThat(a.error().get("message").asText()).contains("32x32", "64x64", "same size");
  }

  @Test
  void dallE2EditsTakeOneSquarePngAndAnswerWithAUrl() {
    Http.Answer wide = new Http.Form().file("image", "wide.png", "image/png", Http.png(64, 32, 0))
        .field("prompt", "p").field("model", "dall-e-2").post(edits);
    Http.Answer ok = new Http.Form().file("image", "sq.png", "image/png", SQUARE)
        .field("prompt", "p").field("model", "dall-e-2").field("size", "512x512").post(edits);

    assertThat(wide.status()).isEqualTo(400);
    assertThat(wide.error().get("message").asText()).contains("must be square");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(Http.read(Http.get(ok.json().get("data").get(0).get("url").asText()).body()).getWidth()).isEqualTo(512);
  }

  @Test
  void aJsonEditWithoutImagesIsA400NamingBothForms() {
    Http.Answer a = Http.post(edits, "{\"prompt\":\"p\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("message").asText()).contains("Missing required parameter: 'image'")
        .contains("images: [{\"image_url\"");
  }

  @Test
  void aJsonEditCanNameAnImageThisBackendMadeByUrlOrFileId() {
    Http.Answer made = new Http.Form().field("prompt", "a fox").field("model", "dall-e-2").field("size", "256x256")
        .file("image", "fox.png", "image/png", Http.png(256, 256, 0x336699)).post(edits);
    String url = made.json().get("data").get(0).get("url").asText();
    String name = url.substring(url.lastIndexOf('/') + 1);
    for (String ref : new String[] {"{\"image_url\":\"" + url + "\"}", "{\"file_id\":\"" + name + "\"}"}) {
      Http.Answer a = Http.post(edits, "{\"prompt\":\"add a hat\",\"model\":\"gpt-image-2\",\"images\":[" + ref + "]}");
      assertThat(a.status()).as(ref).isEqualTo(200);
      assertThat(a.json().get("data").get(0).get("b64_json").asText()).isNotEmpty();
    }
    Http.Answer unknown = Http.post(edits, "{\"prompt\":\"p\",\"model\":\"gpt-image-2\",\"images\":[{\"file_id\":\"file-nope\"}]}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().get("message").asText()).contains("No file with id 'file-nope'");
  }

  @Test
  void formFieldsAreTypeChecked() {
    Http.Answer a = new Http.Form().file("image", "a.png", "image/png", SQUARE).field("prompt", "p").field("n", "many").post(edits);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("param").asText()).isEqualTo("n");
  }

  @Test
  void theOfficialVariationExampleGetsUrlsOfTheRequestedSize() {
    long before = backend.generationCount("variations");
    Http.Answer a = new Http.Form().file("image", "corgi_and_cat_paw.png", "image/png", SQUARE)
        .field("n", "2").field("size", "256x256").post(variations);

    assertThat(a.status()).as(a.text()).isEqualTo(200);
    JsonNode data = a.json().get("data");
    assertThat(data).hasSize(2);
    assertThat(Http.read(Http.get(data.get(1).get("url").asText()).body()).getWidth()).isEqualTo(256);
    assertThat(backend.generationCount("variations")).isEqualTo(before + 1);
  }

  @Test
  void variationsCanAnswerInBase64AndRefuseGptImageModelsAndPrompts() {
    Http.Answer b64 = new Http.Form().file("image", "a.png", "image/png", SQUARE)
        .field("response_format", "b64_json").field("model", "dall-e-2").post(variations);
    Http.Answer gpt = new Http.Form().file("image", "a.png", "image/png", SQUARE)
        .field("model", "gpt-image-1").post(variations);
    Http.Answer jpeg = new Http.Form().file("image", "a.jpg", "image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0})
        .post(variations);

    assertThat(b64.status()).isEqualTo(200);
    assertThat(Http.decode(b64.json().get("data").get(0).get("b64_json").asText()).getWidth()).isEqualTo(1024);
    assertThat(gpt.status()).isEqualTo(400);
    assertThat(gpt.error().get("param").asText()).isEqualTo("model");
    assertThat(jpeg.status()).isEqualTo(400);
    assertThat(jpeg.error().get("message").asText()).contains("needs a PNG");
  }
}
