package dev.imagine.server;

import java.util.Locale;
import java.util.Optional;

/**
 * A failure the {@link LocalBackend} can play instead of (or in the middle of) a good answer, to
 * test how a client copes. Set one for a whole server with
 * {@link LocalBackend.Builder#fault(Fault)} or {@link LocalBackend.Builder#faultFirst(int, Fault)},
 * or per request with the header {@code x-imagine-fault: <name>} (for example
 * {@code x-imagine-fault: 503;times=1}); the header value is {@link #headerName()} or, where
 * given, the status code.
 *
 * <p>Refusals ({@link #refusal()} true) answer at once without generating, like a real rate limit
 * or outage. The connection faults ({@link #DROP_BEFORE_RESPONSE}, {@link #DROP_MID_BODY},
 * {@link #SLOW_BODY}) happen after the image was made and counted: the case where a client that
 * re-sends makes the server generate (and bill) twice.
 */
public enum Fault {
  /** 429 {@code rate_limit_exceeded} with {@code retry-after} and {@code retry-after-ms}. */
  RATE_LIMIT("rate-limit", 429),
  /**
   * 429 {@code rate_limit_exceeded} with no {@code retry-after} header, as many proxies and
   * resellers send: a client must pick its own backoff.
   */
  RATE_LIMIT_NO_RETRY_AFTER("rate-limit-no-retry-after", 0),
  /** 429 {@code insufficient_quota}: not transient, a client must not retry it. */
  INSUFFICIENT_QUOTA("insufficient-quota", 0),
  /** 500 {@code server_error}. */
  SERVER_ERROR("server-error", 500),
  /** 502 with an OpenAI-shaped JSON body. */
  BAD_GATEWAY("bad-gateway", 502),
  /** 503 with an OpenAI-shaped JSON body. */
  SERVICE_UNAVAILABLE("service-unavailable", 503),
  /** 502 with nginx's HTML error page, as a proxy in front of a real server sends. */
  HTML_BAD_GATEWAY("html-502", 0),
  /** ChatAnywhere's 403 for a key whose balance is too low ({@code 账户余额过低，请充值后再试}). */
  LOW_BALANCE("low-balance", 403),
  /** ChatAnywhere's 403 with a whole HTML page inside {@code error.message}. */
  LOW_BALANCE_HTML("low-balance-html", 0),
  /** Reads the request, makes the image, then (100 ms later) closes the connection without answering. */
  DROP_BEFORE_RESPONSE("drop", 0),
  /** Sends the status, headers and half the body, then closes the connection. */
  DROP_MID_BODY("drop-mid-body", 0),
  /** Sends the whole answer slowly, in small pieces (64 KiB/s unless the header says {@code ;rate=N}). */
  SLOW_BODY("slow-body", 0);

  private final String headerName;
  private final int status;

  Fault(String headerName, int status) {
    this.headerName = headerName;
    this.status = status;
  }

  /** The name that selects this fault in the {@code x-imagine-fault} header, e.g. {@code rate-limit}. */
  public String headerName() {
    return headerName;
  }

  /** Whether the server answers with an error at once instead of making the image. */
  public boolean refusal() {
    return this != DROP_BEFORE_RESPONSE && this != DROP_MID_BODY && this != SLOW_BODY;
  }

  /**
   * The fault a header value names: a {@link #headerName()}, the constant's name in any case, or
   * one of the status codes 429, 500, 502, 503 and 403.
   */
  public static Optional<Fault> fromHeaderName(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Fault f : values()) {
      if (f.headerName.equals(n) || f.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(n)
          || (f.status != 0 && String.valueOf(f.status).equals(n))) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
