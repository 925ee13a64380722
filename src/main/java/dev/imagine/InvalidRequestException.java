package dev.imagine;

/**
 * A request broke a rule of its model and was not sent: nothing was billed. The message names the
 * field, the value and what is allowed, e.g. {@code n is 2; dall-e-3 makes only 1 image per request}.
 */
public class InvalidRequestException extends ImagineException {
  private final String param;

  public InvalidRequestException(String param, String message) {
    super(message);
    this.param = param;
  }

  /** The wire name of the offending field, e.g. {@code size}. */
  public String param() {
    return param;
  }
}
