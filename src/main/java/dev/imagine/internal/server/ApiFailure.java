package dev.imagine.internal.server;

import dev.imagine.internal.wire.ApiError;

/** A request the backend refuses with an OpenAI-shaped error; thrown while reading or checking a request. */
final class ApiFailure extends RuntimeException {
  final int status;
  final ApiError error;

  ApiFailure(int status, String type, String param, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = new ApiError(message, type, param, code);
  }

  /** A 400 {@code invalid_request_error} about one field. */
  static ApiFailure invalid(String param, String message) {
    return new ApiFailure(400, "invalid_request_error", param, null, message);
  }

  /** A 400 {@code invalid_request_error} with an error code. */
  static ApiFailure invalid(String param, String code, String message) {
    return new ApiFailure(400, "invalid_request_error", param, code, message);
  }
}
