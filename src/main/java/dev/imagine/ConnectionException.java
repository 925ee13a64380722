package dev.imagine;

/**
 * The connection failed: the server could not be reached ({@link #requestSent()} is false, and such
 * failures are retried), or the connection was lost after the request was sent (the server may have
 * made the image; not re-sent unless the client was built with {@code retryUnsafe(true)}).
 */
public class ConnectionException extends ImagineException {
  private final boolean requestSent;

  public ConnectionException(String message, boolean requestSent, Throwable cause) {
    this(message, requestSent, null, cause);
  }

  /**
   * @param requestId the server's {@code x-request-id} when its answer had begun before the
   *     connection was lost, else {@code null}
   */
  public ConnectionException(String message, boolean requestSent, String requestId, Throwable cause) {
    super(message, requestId, cause);
    this.requestSent = requestSent;
  }

  /** Whether the request may have reached the server before the failure. */
  public boolean requestSent() {
    return requestSent;
  }
}
