package dev.imagine;

/**
 * No answer within the request timeout. The server may still be making (and billing) the image, so
 * the request was not sent again unless the client was built with {@code retryUnsafe(true)}.
 */
public class RequestTimeoutException extends ImagineException {
  public RequestTimeoutException(String message, Throwable cause) {
    super(message, null, cause);
  }
}
