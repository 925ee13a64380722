package dev.imagine;

/**
 * The server answered with an error status. Carries what the server said: status, the error's
 * {@code type}, {@code code} and {@code param}, the request id and the server's own message (also
 * when the body was HTML or empty, then as a short excerpt).
 */
public class ApiException extends ImagineException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final String serverMessage;

  public ApiException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId) {
    super(message, requestId, null);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.serverMessage = serverMessage;
  }

  /** The HTTP status, e.g. 400. */
  public int status() {
    return status;
  }

  /** The error's {@code type}, e.g. {@code invalid_request_error}, or {@code null}. */
  public String type() {
    return type;
  }

  /** The error's {@code code}, e.g. {@code content_policy_violation}, or {@code null}. */
  public String code() {
    return code;
  }

  /** The request field the server blamed, or {@code null}. */
  public String param() {
    return param;
  }

  /** What the server said, as it said it (HTML reduced to its text), or {@code null} for an empty body. */
  public String serverMessage() {
    return serverMessage;
  }
}
