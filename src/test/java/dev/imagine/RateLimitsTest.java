package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code x-ratelimit-*} headers, readable on results and on {@link RateLimitException}. */
class RateLimitsTest {
  final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({"20ms, 20", "1s, 1000", "6m0s, 360000", "1h2m3.5s, 3723500", "0.5s, 500"})
  void resetsReadGoStyleDurations(String sent, long millis) {
    RateLimits r = RateLimits.of(Map.of("X-RateLimit-Reset-Requests", sent));
    assertThat(r.resetRequests()).contains(Duration.ofMillis(millis));
  }

  @Test
  void missingMinusOneAndUnreadableValuesAreEmpty() {
    RateLimits r = RateLimits.of(Map.of("x-ratelimit-limit-requests", "-1", "x-ratelimit-reset-tokens", "soon",
        "content-type", "application/json"));
    assertThat(r.limitRequests()).isEqualTo(OptionalLong.empty());
    assertThat(r.remainingTokens()).isEqualTo(OptionalLong.empty());
    assertThat(r.resetTokens()).isEqualTo(Optional.empty());
    assertThat(r.headers()).containsOnlyKeys("x-ratelimit-limit-requests", "x-ratelimit-reset-tokens");
    assertThat(RateLimits.of(Map.of()).isEmpty()).isTrue();
  }

  @Test
  void aResultCarriesTheAnswersRateLimits() {
    server.always((req, b) -> req.response().putHeader("content-type", "application/json")
        .putHeader("x-ratelimit-limit-requests", "60").putHeader("x-ratelimit-remaining-requests", "59")
        .putHeader("x-ratelimit-reset-requests", "1s").putHeader("x-ratelimit-limit-tokens", "150000")
        .putHeader("x-ratelimit-remaining-tokens", "149000").putHeader("x-ratelimit-reset-tokens", "6m0s")
        .end(ScriptedServer.imagesJson(ScriptedServer.png(4, 4))));
    RateLimits r;
    try (ImagesClient client = server.client()) {
      r = client.images().prompt("a fox").generate().rateLimits();
    }
    assertThat(r.limitRequests()).hasValue(60);
    assertThat(r.remainingRequests()).hasValue(59);
    assertThat(r.resetRequests()).contains(Duration.ofSeconds(1));
    assertThat(r.limitTokens()).hasValue(150000);
    assertThat(r.remainingTokens()).hasValue(149000);
    assertThat(r.resetTokens()).contains(Duration.ofMinutes(6));
    assertThat(r.toString()).isEqualTo("RateLimits[requests 59/60, tokens 149000/150000]");
  }

  @Test
  void aRateLimitExceptionCarriesThemToo() {
    server.always((req, b) -> req.response().setStatusCode(429).putHeader("content-type", "application/json")
        .putHeader("x-ratelimit-remaining-requests", "0").putHeader("x-ratelimit-reset-requests", "20s")
        .end("{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}"));
    Throwable t;
    try (ImagesClient client = server.client(ImagesClient.builder().maxRetries(0))) {
      t = org.assertj.core.api.Assertions.catchThrowable(() -> client.images().prompt("a fox").generate());
    }
    assertThat(t).isInstanceOf(RateLimitException.class);
    RateLimits r = ((RateLimitException) t).rateLimits();
    assertThat(r.remainingRequests()).hasValue(0);
    assertThat(r.resetRequests()).contains(Duration.ofSeconds(20));
  }
}
