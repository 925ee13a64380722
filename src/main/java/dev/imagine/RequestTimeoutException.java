package dev.imagine;

/**
 * No answer within the request timeout. The server may still be making (and billing) the image, so
 * the request was not sent again unless the client was built with {@code retryUnsafe(true)}.
 */
public class RequestTimeoutException extends ImagineException {
  public RequestTimeoutException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** @param requestId the server's {@code x-request-id} when its answer had begun, else {@code null} */
  public RequestTimeoutException(String message, String requestId, Throwable cause) {
    super(message, requestId, cause);
  }
}
