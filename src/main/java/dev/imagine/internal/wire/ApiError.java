package dev.imagine.internal.wire;

/** The OpenAI error shape: {@code {"error": {"message", "type", "param", "code"}}}; param and code may be null. */
public record ApiError(String message, String type, String param, String code) {

  /** The envelope the error travels in. */
  public record Envelope(ApiError error) {}
}
