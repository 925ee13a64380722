package dev.imagine.internal.server;

import dev.imagine.internal.wire.ApiError;

/** The answers of the refusing faults, shaped like what OpenAI, nginx and ChatAnywhere send. */
final class Refusals {
  private Refusals() {}

  static Reply of(FaultPlan plan) {
    String retryAfterSeconds = String.valueOf(Math.max(1, (plan.retryAfterMs() + 999) / 1000));
    return switch (plan.fault()) {
      case RATE_LIMIT -> Reply.error(429, new ApiError("Rate limit reached for images per min (local backend fault "
              + "injection). Please try again in " + plan.retryAfterMs() + "ms.", "requests", null, "rate_limit_exceeded"))
          .header("retry-after", retryAfterSeconds)
          .header("retry-after-ms", String.valueOf(plan.retryAfterMs()))
          .header("x-ratelimit-remaining-requests", "0");
      case RATE_LIMIT_NO_RETRY_AFTER -> Reply.error(429, new ApiError("Rate limit reached for images per min (local "
          + "backend fault injection). Please slow down.", "requests", null, "rate_limit_exceeded"))
          .header("x-ratelimit-remaining-requests", "0");
      case INSUFFICIENT_QUOTA -> Reply.error(429, new ApiError("You exceeded your current quota, please check your "
          + "plan and billing details.", "insufficient_quota", null, "insufficient_quota"));
      case SERVER_ERROR -> Reply.error(500, new ApiError("The server had an error while processing your request. "
          + "Sorry about that!", "server_error", null, null));
      case BAD_GATEWAY -> Reply.error(502, new ApiError("Bad gateway.", "server_error", null, "bad_gateway"));
      case SERVICE_UNAVAILABLE -> Reply.error(503, new ApiError("The engine is currently overloaded, please try "
              + "again later.", "server_error", null, "service_unavailable"))
          .header("retry-after", retryAfterSeconds)
          .header("retry-after-ms", String.valueOf(plan.retryAfterMs()));
      case HTML_BAD_GATEWAY -> Reply.html(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
          + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
      case LOW_BALANCE -> Reply.error(403, new ApiError("账户余额过低，请充值后再试。Your account balance is too low "
          + "for this request; please top up and try again.", "chatanywhere_error", null, "403 FORBIDDEN"));
      case LOW_BALANCE_HTML -> Reply.error(403, new ApiError("<!DOCTYPE html><html lang=\"zh\"><head><meta "
          + "charset=\"utf-8\"><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1><p>账户余额过低，请充值后再试。"
          + "</p><p>Your account balance is too low.</p></body></html>", "chatanywhere_error", null, "403 FORBIDDEN"));
      case DROP_BEFORE_RESPONSE, DROP_MID_BODY, SLOW_BODY ->
          throw new IllegalArgumentException(plan.fault() + " is not a refusal");
    };
  }
}
