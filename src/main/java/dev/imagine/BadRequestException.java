package dev.imagine;

/** The server refused the request as malformed or not allowed (400, 404, 409, 413, 422): fix the request; retrying it unchanged will not help. */
public class BadRequestException extends ApiException {
  public BadRequestException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId) {
    super(message, status, type, code, param, serverMessage, requestId);
  }
}
