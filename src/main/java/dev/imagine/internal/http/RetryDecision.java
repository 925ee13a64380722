package dev.imagine.internal.http;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Whether a failed attempt is sent again, and after how long: a pure function of what happened
 * (no clock, no randomness, no sockets), so every case is table-tested. As the official SDKs do:
 * exponential backoff from 0.5 s to 8 s with a jitter of 0.75 to 1, or what the server asks for in
 * {@code retry-after-ms} or {@code retry-after} (seconds or an HTTP date), within
 * {@link #MAX_SERVER_DELAY}. A request the server may already be running is never re-sent unless
 * the client allows unsafe retries, since that would make and bill the image twice.
 */
final class RetryDecision {
  /** A server asking for a longer wait gets no retry: the user learns at once instead. */
  static final Duration MAX_SERVER_DELAY = Duration.ofSeconds(60);

  private RetryDecision() {}

  /**
   * How soon after a request went out a close of a reused connection still counts as the server's
   * idle close racing the request rather than the server dropping a request it read. On loopback
   * the race shows within a millisecond or two (see docs/benchmarks.md); a server that read the
   * request and then fails takes longer. It is timed to when the connection's event loop saw the
   * close, so a busy context that hears of it late does not turn a stale connection into a lost
   * request. Kept well under any real generation's time.
   */
  static final Duration STALE_CONNECTION_WINDOW = Duration.ofMillis(30);

  /**
   * Whether an attempt lost after it went out is sent once more on a new connection: it went out
   * on a pooled connection that had carried a request before, the connection closed before any byte
   * of an answer, within {@link #STALE_CONNECTION_WINDOW}, and the call was not re-sent this way
   * already. That is a server closing an idle keep-alive connection as the request arrived: it
   * never read the request, so nothing was made or billed. OkHttp and Go's {@code net/http} re-send
   * this case too. It does not count against {@code maxRetries}.
   */
  static boolean resendOnNewConnection(boolean reusedConnection, boolean answerStarted, Duration sinceSent,
      boolean resentBefore) {
    return reusedConnection && !answerStarted && !resentBefore && sinceSent.compareTo(STALE_CONNECTION_WINDOW) <= 0;
  }

  /** How an attempt ended without an answer. */
  enum Failure {
    /** Nothing reached the server: no connection, or it failed before the request went out. */
    NOT_SENT,
    /** No answer within the request timeout after the request went out: the server may be generating. */
    TIMED_OUT_AFTER_SENDING,
    /** The connection was lost after the request went out: the server may be generating. */
    LOST_AFTER_SENDING
  }

  /** Send again after {@link #delay()}, or give up when the delay is {@code null}. */
  record Decision(Duration delay) {
    static final Decision GIVE_UP = new Decision(null);

    boolean retry() {
      return delay != null;
    }
  }

  /**
   * After an error answer to attempt {@code attempt} (0-based). {@code permanent}: the answer says
   * re-sending cannot help (quota used up, content refused), which beats {@code x-should-retry}.
   * {@code jitter} is a random number in [0, 1).
   */
  static Decision afterAnswer(int attempt, int maxRetries, int status, MultiMap headers, boolean permanent,
      Instant now, double jitter) {
    if (attempt >= maxRetries || permanent || !retryableStatus(status, headers)) {
      return Decision.GIVE_UP;
    }
    Duration server = serverDelay(headers, now);
    Duration delay = server != null ? server : backoff(attempt, jitter);
    return delay.compareTo(MAX_SERVER_DELAY) <= 0 ? new Decision(delay) : Decision.GIVE_UP;
  }

  /** After attempt {@code attempt} (0-based) ended without an answer. */
  static Decision afterFailure(int attempt, int maxRetries, Failure failure, boolean retryUnsafe, double jitter) {
    boolean safe = failure == Failure.NOT_SENT || retryUnsafe;
    return safe && attempt < maxRetries ? new Decision(backoff(attempt, jitter)) : Decision.GIVE_UP;
  }

  /** Whether an answer with this status may be retried; {@code x-should-retry} overrides. */
  static boolean retryableStatus(int status, MultiMap headers) {
    String should = headers.get("x-should-retry");
    if ("true".equalsIgnoreCase(should)) {
      return true;
    }
    if ("false".equalsIgnoreCase(should)) {
      return false;
    }
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** The server's requested delay as of {@code now}, or {@code null} when it did not ask. */
  static Duration serverDelay(MultiMap headers, Instant now) {
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
        Duration d = Duration.between(now, ZonedDateTime.parse(after.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException notDate) {
        return null;
      }
    }
  }

  /** The wait before retry number {@code attempt} (0-based), {@code jitter} in [0, 1). */
  static Duration backoff(int attempt, double jitter) {
    double seconds = Math.min(0.5 * Math.pow(2, attempt), 8.0);
    return Duration.ofMillis((long) (seconds * (1 - 0.25 * jitter) * 1000));
  }
}
