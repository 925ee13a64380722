package dev.imagine;

/**
 * The root of every exception imagine throws. Unchecked, so scripts stay short; catch a subtype to
 * react to one kind of failure:
 *
 * <pre>{@code
 * try {
 *   images().prompt("a red fox").generate();
 * } catch (RateLimitException e) {
 *   // wait e.retryAfter() and try again
 * } catch (ImagineException e) {
 *   System.err.println(e.getMessage()); // says what happened and what to do
 * }
 * }</pre>
 *
 * Messages never contain an API key or an image payload.
 */
public class ImagineException extends RuntimeException {
  private final String requestId;

  public ImagineException(String message) {
    this(message, null, null);
  }

  public ImagineException(String message, String requestId, Throwable cause) {
    super(message, cause);
    this.requestId = requestId;
  }

  /** The server's {@code x-request-id} for the failed request, or {@code null} when there was none. */
  public String requestId() {
    return requestId;
  }
}
