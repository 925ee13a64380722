package dev.imagine.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.internal.http.RetryDecision.Failure;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The retry decision as tables: every input it reads, no sockets, no clock, no randomness. */
class RetryDecisionTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  static MultiMap headers(String spec) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (spec != null) {
      for (String pair : spec.split(";")) {
        String[] kv = pair.split("=", 2);
        h.add(kv[0].strip(), kv[1].strip());
      }
    }
    return h;
  }

  /** {@code -} means "give up"; otherwise the delay in milliseconds. */
  static String decided(RetryDecision.Decision d) {
    return d.retry() ? String.valueOf(d.delay().toMillis()) : "-";
  }

  @ParameterizedTest(name = "attempt {0} of {1}, {2} {3} permanent={4} jitter={5} -> {6}")
  @CsvSource(nullValues = "null", value = {
      // attempt, maxRetries, status, headers, permanent, jitter, expected
      "0, 2, 500, null, false, 0.0, 500",
      "1, 2, 502, null, false, 0.0, 1000",
      "0, 2, 503, null, false, 0.99, 376",
      "5, 9, 500, null, false, 0.0, 8000",             // backoff is capped at 8 s
      "2, 2, 500, null, false, 0.0, -",                // retries used up
      "0, 0, 500, null, false, 0.0, -",                // retries off
      "0, 2, 408, null, false, 0.0, 500",              // 408 is retried
      "0, 2, 409, null, false, 0.0, 500",
      "0, 2, 429, null, false, 0.0, 500",
      "0, 2, 429, null, true, 0.0, -",                 // quota used up: waiting will not help
      "0, 2, 400, null, false, 0.0, -",
      "0, 2, 401, null, false, 0.0, -",
      "0, 2, 403, null, false, 0.0, -",
      "0, 2, 404, null, false, 0.0, -",
      "0, 2, 413, null, false, 0.0, -",
      "0, 2, 422, null, false, 0.0, -",
      "0, 2, 400, x-should-retry=true, false, 0.0, 500",   // the server overrides
      "0, 2, 503, x-should-retry=false, false, 0.0, -",
      "0, 2, 400, x-should-retry=true, true, 0.0, -",      // a refusal or empty quota beats x-should-retry
      "0, 2, 429, retry-after-ms=20, false, 0.9, 20",      // the server's delay, without jitter
      "0, 2, 429, retry-after=3, false, 0.0, 3000",
      "0, 2, 429, retry-after=1.5, false, 0.0, 1500",
      "0, 2, 429, retry-after-ms=oops; retry-after=2, false, 0.0, 2000",
      "0, 2, 429, retry-after=soon, false, 0.0, 500",      // unreadable: own backoff
      "0, 2, 429, retry-after=60, false, 0.0, 60000",      // at the limit: still waits
      "0, 2, 429, retry-after=61, false, 0.0, -",          // longer: the user learns at once
      "0, 2, 503, 'retry-after=Wed, 02 Dec 2026 10:00:07 GMT', false, 0.0, 7000",
      "0, 2, 503, 'retry-after=Wed, 02 Dec 2026 09:59:00 GMT', false, 0.0, 0",
  })
  void afterAnAnswer(int attempt, int maxRetries, int status, String headers, boolean permanent, double jitter,
      String expected) {
    RetryDecision.Decision d = RetryDecision.afterAnswer(attempt, maxRetries, status,
        headers(headers), permanent, NOW, jitter);
    assertThat(decided(d)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "attempt {0} of {1}, {2}, retryUnsafe={3} -> {5}")
  @CsvSource({
      "0, 2, NOT_SENT, false, 0.0, 500",
      "1, 2, NOT_SENT, false, 0.0, 1000",
      "2, 2, NOT_SENT, false, 0.0, -",
      "0, 2, TIMED_OUT_AFTER_SENDING, false, 0.0, -",   // the server may be generating: never twice
      "0, 2, TIMED_OUT_AFTER_SENDING, true, 0.0, 500",
      "0, 2, LOST_AFTER_SENDING, false, 0.0, -",
      "0, 2, LOST_AFTER_SENDING, true, 0.5, 437",
      "2, 2, LOST_AFTER_SENDING, true, 0.0, -",
  })
  void afterAFailureWithoutAnswer(int attempt, int maxRetries, Failure failure, boolean retryUnsafe, double jitter,
      String expected) {
    assertThat(decided(RetryDecision.afterFailure(attempt, maxRetries, failure, retryUnsafe, jitter))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, 0.0, 500", "0, 0.999, 375", "1, 0.0, 1000", "3, 0.0, 4000", "4, 0.0, 8000", "10, 0.0, 8000"})
  void backoffDoublesFromHalfASecondUpToEightWithAQuarterOfJitter(int attempt, double jitter, long millis) {
    assertThat(RetryDecision.backoff(attempt, jitter)).isEqualTo(Duration.ofMillis(millis));
  }

  @org.junit.jupiter.api.Test
  void anHttpDateIsReadAgainstTheGivenClock() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(12).atOffset(ZoneOffset.UTC));
    assertThat(RetryDecision.serverDelay(headers("retry-after=" + date), NOW)).isEqualTo(Duration.ofSeconds(12));
    assertThat(RetryDecision.serverDelay(headers(null), NOW)).isNull();
  }
}
