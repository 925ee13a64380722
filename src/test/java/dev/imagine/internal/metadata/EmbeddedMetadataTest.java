package dev.imagine.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.ImageRequest;
import dev.imagine.internal.ImageFormats;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class EmbeddedMetadataTest {
  static byte[] encode(String format, int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 7) << 16 | (y * 5) << 8 | (x ^ y));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  static final String TEXT = "{\"request\":{\"prompt\":\"a fox, \\\"red\\\" & <small> — 狐\"}}";

  @Test
  void pngKeepsItsPixelsAndCarriesTheText() throws Exception {
    byte[] png = encode("png", 40, 30);
    byte[] tagged = EmbeddedMetadata.write(png, TEXT);
    assertThat(EmbeddedMetadata.read(tagged)).contains(TEXT);
    assertThat(EmbeddedMetadata.read(png)).isEmpty();
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(png));
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(tagged));
    assertThat(b.getWidth()).isEqualTo(40);
    assertThat(b.getRGB(17, 11)).isEqualTo(a.getRGB(17, 11));
    assertThat(new String(tagged, StandardCharsets.ISO_8859_1)).contains("iTXtimagine");
  }

  @Test
  void jpegCarriesLongTextInSeveralCommentsAndStillDecodes() throws Exception {
    byte[] jpeg = encode("jpeg", 32, 32);
    String longText = "{\"request\":{\"prompt\":\"" + "x".repeat(150_000) + "\"}}";
    byte[] tagged = EmbeddedMetadata.write(jpeg, longText);
    assertThat(EmbeddedMetadata.read(tagged)).contains(longText);
    assertThat(EmbeddedMetadata.read(EmbeddedMetadata.write(jpeg, TEXT))).contains(TEXT);
    assertThat(ImageIO.read(new ByteArrayInputStream(tagged)).getWidth()).isEqualTo(32);
  }

  @Test
  void webpGainsAnExtendedHeaderAndAnXmpChunk() {
    // a lossless WebP header: RIFF, VP8L with a 14-bit width-1 and height-1 (here 64x48) and no alpha
    byte[] webp = new byte[40];
    System.arraycopy("RIFF".getBytes(StandardCharsets.ISO_8859_1), 0, webp, 0, 4);
    webp[4] = 32;
    System.arraycopy("WEBPVP8L".getBytes(StandardCharsets.ISO_8859_1), 0, webp, 8, 8);
    webp[16] = 20;
    webp[20] = 0x2f;
    int bits = 63 | 47 << 14;
    webp[21] = (byte) bits;
    webp[22] = (byte) (bits >> 8);
    webp[23] = (byte) (bits >> 16);
    webp[24] = (byte) (bits >> 24);
    byte[] tagged = EmbeddedMetadata.write(webp, TEXT);
    assertThat(ImageFormats.mimeType(tagged)).isEqualTo("image/webp");
    assertThat(new String(tagged, 12, 4, StandardCharsets.ISO_8859_1)).isEqualTo("VP8X");
    assertThat(tagged[20] & 0x04).as("XMP flag").isEqualTo(0x04);
    assertThat(ImageFormats.dimensions(tagged)).containsExactly(64, 48);
    int riff = (tagged[4] & 0xFF) | (tagged[5] & 0xFF) << 8 | (tagged[6] & 0xFF) << 16;
    assertThat(riff).isEqualTo(tagged.length - 8);
    assertThat(EmbeddedMetadata.read(tagged)).contains(TEXT);
    assertThat(EmbeddedMetadata.read(EmbeddedMetadata.write(tagged, "{}"))).as("a VP8X file gets it too").isPresent();
  }

  @Test
  void otherBytesAreLeftAlone() {
    byte[] gif = "GIF89a-not-really".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(EmbeddedMetadata.write(gif, TEXT)).isSameAs(gif);
    byte[] broken = {(byte) 0x89, 'P', 'N', 'G'};
    assertThat(EmbeddedMetadata.write(broken, TEXT)).isSameAs(broken);
  }

  @Test
  void aRecordedRequestComesBackEqualWithoutHeaderValues() {
    ImageRequest r = ImageRequest.builder().prompt("a fox").model("gpt-image-1.5").n(3).size("1536x1024")
        .quality("high").background("transparent").outputFormat("webp").outputCompression(80).moderation("low")
        .partialImages(2).build();
    String json = GenerationRecord.json(java.util.Map.of("request", GenerationRecord.request(r)));
    assertThat(GenerationRecord.requestOfRecord(json, "test")).isEqualTo(r);
    ImageRequest withHeader = r.toBuilder().header("X-Secret", "v4lue").extraBody("seed", 7).build();
    String recorded = GenerationRecord.json(GenerationRecord.request(withHeader));
    assertThat(recorded).contains("X-Secret").doesNotContain("v4lue").contains("seed").doesNotContain(":7");
  }
}
