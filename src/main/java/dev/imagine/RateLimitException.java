package dev.imagine;

import java.time.Duration;

/**
 * Too many requests (429), still after the retries, or the account's quota is used up
 * ({@link #isQuotaExhausted()}: not transient, so it is never retried).
 */
public class RateLimitException extends ApiException {
  private final Duration retryAfter;
  private final RateLimits rateLimits;

  public RateLimitException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId, Duration retryAfter) {
    this(message, status, type, code, param, serverMessage, requestId, retryAfter, RateLimits.none());
  }

  public RateLimitException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId, Duration retryAfter, RateLimits rateLimits) {
    super(message, status, type, code, param, serverMessage, requestId);
    this.retryAfter = retryAfter;
    this.rateLimits = java.util.Objects.requireNonNull(rateLimits, "rateLimits");
  }

  /**
   * The answer's {@code x-ratelimit-*} headers, e.g. {@code rateLimits().resetRequests()}: when
   * the window that ran out starts again.
   */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /** How long the server asked to wait, or {@code null} when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Whether the quota or balance is used up ({@code insufficient_quota}): waiting will not help. */
  public boolean isQuotaExhausted() {
    return "insufficient_quota".equals(code()) || "insufficient_quota".equals(type());
  }
}
