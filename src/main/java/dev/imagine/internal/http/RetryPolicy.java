package dev.imagine.internal.http;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry and how long to wait, as the official SDKs do: exponential backoff from 0.5 s to
 * 8 s with a jitter of 0.75 to 1, or what the server asks for in {@code retry-after-ms} or
 * {@code retry-after} (seconds or an HTTP date), within {@link #MAX_SERVER_DELAY}.
 */
final class RetryPolicy {
  /** A server asking for a longer wait gets no retry: the user learns at once instead. */
  static final Duration MAX_SERVER_DELAY = Duration.ofSeconds(60);

  private RetryPolicy() {}

  /** Whether an answer with this status may be retried; {@code x-should-retry} overrides. */
  static boolean retryableStatus(int status, MultiMap headers, boolean quotaExhausted) {
    String should = headers.get("x-should-retry");
    if ("true".equalsIgnoreCase(should)) {
      return true;
    }
    if ("false".equalsIgnoreCase(should) || quotaExhausted) {
      return false;
    }
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** The server's requested delay, or {@code null} when it did not ask. */
  static Duration serverDelay(MultiMap headers) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Duration.ofMillis((long) Double.parseDouble(ms.strip()));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String after = headers.get("retry-after");
    if (after == null) {
      return null;
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(after.strip()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(after.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException notDate) {
        return null;
      }
    }
  }

  /** The wait before retry number {@code attempt} (0-based). */
  static Duration backoff(int attempt) {
    double seconds = Math.min(0.5 * Math.pow(2, attempt), 8.0);
    double jitter = 1 - 0.25 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (seconds * jitter * 1000));
  }
}
