package dev.imagine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken generation requests get the real server's 400: an OpenAI-shaped error naming the field. */
class ValidationTest extends SharedBackend {

  static Stream<Arguments> brokenRequests() {
    String longPrompt = "x".repeat(1001);
    return Stream.of(
        Arguments.of("{\"model\":\"gpt-image-1\",\"n\":1}", "prompt", "prompt is required"),
        Arguments.of("{\"prompt\":\"  \"}", "prompt", "prompt is required"),
        Arguments.of("{\"model\":\"dall-e-2\",\"prompt\":\"" + longPrompt + "\"}", "prompt", "1,001 characters"),
        Arguments.of("{\"prompt\":\"p\",\"n\":0}", "n", "between 1 and 10"),
        Arguments.of("{\"prompt\":\"p\",\"n\":11}", "n", "between 1 and 10"),
        Arguments.of("{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"n\":2}", "n", "dall-e-3 makes only 1"),
        Arguments.of("{\"prompt\":\"p\",\"size\":\"big\"}", "size", "WIDTHxHEIGHT"),
        Arguments.of("{\"model\":\"dall-e-2\",\"prompt\":\"p\",\"size\":\"1792x1024\"}", "size", "256x256, 512x512, 1024x1024"),
        Arguments.of("{\"model\":\"gpt-image-1\",\"prompt\":\"p\",\"size\":\"1792x1024\"}", "size", "1536x1024"),
        Arguments.of("{\"model\":\"gpt-image-2\",\"prompt\":\"p\",\"quality\":\"xhigh\"}", "quality", "low, medium, high, auto"),
        Arguments.of("{\"model\":\"gpt-image-2.5-flare\",\"prompt\":\"p\",\"output_format\":\"gif\"}", "output_format", "png, jpeg, webp"),
        Arguments.of("{\"model\":\"gpt-image-2\",\"prompt\":\"p\",\"size\":\"1000x1000\"}", "size", "multiples of 16"),
        Arguments.of("{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"quality\":\"high\"}", "quality", "standard, hd"),
        Arguments.of("{\"prompt\":\"p\",\"style\":\"vivid\"}", "style", "only for dall-e-3"),
        Arguments.of("{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"style\":\"loud\"}", "style", "vivid, natural"),
        Arguments.of("{\"prompt\":\"p\",\"response_format\":\"url\"}", "response_format", "always return b64_json"),
        Arguments.of("{\"model\":\"dall-e-2\",\"prompt\":\"p\",\"response_format\":\"gif\"}", "response_format", "url, b64_json"),
        Arguments.of("{\"prompt\":\"p\",\"output_format\":\"gif\"}", "output_format", "png, jpeg, webp"),
        Arguments.of("{\"prompt\":\"p\",\"output_format\":\"png\",\"output_compression\":50}", "output_compression", "jpeg and webp"),
        Arguments.of("{\"prompt\":\"p\",\"output_format\":\"jpeg\",\"output_compression\":101}", "output_compression", "between 0 and 100"),
        Arguments.of("{\"prompt\":\"p\",\"output_format\":\"jpeg\",\"background\":\"transparent\"}", "background", "png or webp"),
        Arguments.of("{\"prompt\":\"p\",\"background\":\"pink\"}", "background", "transparent, opaque, auto"),
        Arguments.of("{\"prompt\":\"p\",\"moderation\":\"none\"}", "moderation", "low, auto"),
        Arguments.of("{\"prompt\":\"p\",\"stream\":true,\"partial_images\":4}", "partial_images", "between 0 and 3"),
        Arguments.of("{\"model\":\"dall-e-2\",\"prompt\":\"p\",\"stream\":true}", "stream", "only for GPT image models"),
        Arguments.of("{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"background\":\"opaque\"}", "background", "only for GPT image models"),
        Arguments.of("{\"prompt\":\"p\",\"n\":\"two\"}", "n", "Invalid type for 'n': expected an integer, but got a string"),
        Arguments.of("{\"prompt\":\"p\",\"n\":1.5}", "n", "expected an integer, but got a decimal"),
        Arguments.of("{\"prompt\":42}", "prompt", "expected a string, but got an integer"),
        Arguments.of("{\"prompt\":\"p\",\"stream\":\"yes\"}", "stream", "expected a boolean"));
  }

  @ParameterizedTest
  @MethodSource("brokenRequests")
  void aBrokenFieldIsA400NamingIt(String body, String param, String message) {
    Http.Answer a = Http.post(url, body);

    assertThat(a.status()).isEqualTo(400);
    JsonNode error = a.error();
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo(param);
    assertThat(error.get("message").asText()).contains(message);
    assertThat(error.has("code")).isTrue(); // all four keys, null or not, like OpenAI's errors
  }

  @Test
  void malformedJsonIsA400WithNullParamAndCode() {
    Http.Answer a = Http.post(url, "{\"prompt\": \"unclosed");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("message").asText()).contains("could not parse the JSON body");
    assertThat(a.error().get("param").isNull()).isTrue();
    assertThat(a.error().get("code").isNull()).isTrue();
  }

  @Test
  void aJsonValueThatIsNoObjectIsA400() {
    Http.Answer a = Http.post(url, "[\"A cute baby sea otter\"]");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("message").asText()).contains("must be a JSON object");
  }

  @Test
  void invalidRequestsAreNotCountedAsGenerations() {
    long before = backend.generationCount();
    Http.post(url, "{\"prompt\":\"p\",\"n\":99}");

    assertThat(backend.generationCount()).isEqualTo(before);
  }
}
