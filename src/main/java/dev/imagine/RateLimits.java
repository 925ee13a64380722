package dev.imagine;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server said about its rate limits in the {@code x-ratelimit-*} headers of one answer:
 * requests and tokens allowed per window, how many are left, and when the window resets. A value
 * the server did not send (or sent as {@code -1}, as Azure may) is empty.
 *
 * <pre>{@code
 * ImageResult r = images().prompt("a red fox").generate();
 * r.rateLimits().remainingRequests().ifPresent(left -> System.out.println(left + " requests left"));
 * }</pre>
 */
public final class RateLimits {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
  private static final RateLimits NONE = new RateLimits(Map.of());

  private final Map<String, String> headers;

  private RateLimits(Map<String, String> headers) {
    this.headers = headers;
  }

  /** The {@code x-ratelimit-*} entries of an answer's headers (any case); the others are ignored. */
  public static RateLimits of(Map<String, String> headers) {
    Map<String, String> found = new TreeMap<>();
    headers.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-ratelimit-") && value != null) {
        found.put(lower, value.strip());
      }
    });
    return found.isEmpty() ? NONE : new RateLimits(Map.copyOf(found));
  }

  /** No rate-limit headers. */
  public static RateLimits none() {
    return NONE;
  }

  /** {@code x-ratelimit-limit-requests}: requests allowed per window. */
  public OptionalLong limitRequests() {
    return number("x-ratelimit-limit-requests");
  }

  /** {@code x-ratelimit-remaining-requests}: requests left in this window. */
  public OptionalLong remainingRequests() {
    return number("x-ratelimit-remaining-requests");
  }

  /** {@code x-ratelimit-reset-requests}: when the request window starts again, e.g. {@code 1s} or {@code 6m0s}. */
  public Optional<Duration> resetRequests() {
    return duration("x-ratelimit-reset-requests");
  }

  /** {@code x-ratelimit-limit-tokens}: tokens allowed per window. */
  public OptionalLong limitTokens() {
    return number("x-ratelimit-limit-tokens");
  }

  /** {@code x-ratelimit-remaining-tokens}: tokens left in this window. */
  public OptionalLong remainingTokens() {
    return number("x-ratelimit-remaining-tokens");
  }

  /** {@code x-ratelimit-reset-tokens}: when the token window starts again. */
  public Optional<Duration> resetTokens() {
    return duration("x-ratelimit-reset-tokens");
  }

  /** Every {@code x-ratelimit-*} header as sent (names in lower case), including ones not read above. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Whether the answer carried no rate-limit header. */
  public boolean isEmpty() {
    return headers.isEmpty();
  }

  private OptionalLong number(String name) {
    String v = headers.get(name);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(v);
      return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Go-style durations as OpenAI sends them: {@code 20ms}, {@code 1s}, {@code 6m0s}, {@code 1h2m3.5s}. */
  private Optional<Duration> duration(String name) {
    String v = headers.get(name);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = PART.matcher(v);
    double millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      millis += switch (m.group(2)) {
        case "h" -> n * 3_600_000;
        case "m" -> n * 60_000;
        case "s" -> n * 1000;
        default -> n;
      };
      end = m.end();
    }
    return end == v.length() ? Optional.of(Duration.ofMillis(Math.round(millis))) : Optional.empty();
  }

  /** The counts only, e.g. {@code RateLimits[requests 59/60, tokens 149000/150000]}. */
  @Override
  public String toString() {
    return "RateLimits[requests " + count(remainingRequests()) + "/" + count(limitRequests())
        + ", tokens " + count(remainingTokens()) + "/" + count(limitTokens()) + "]";
  }

  private static String count(OptionalLong n) {
    return n.isPresent() ? String.valueOf(n.getAsLong()) : "?";
  }
}
