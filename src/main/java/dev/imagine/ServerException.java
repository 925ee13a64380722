package dev.imagine;

/** The server failed (5xx) and still did after the retries. */
public class ServerException extends ApiException {
  public ServerException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId) {
    super(message, status, type, code, param, serverMessage, requestId);
  }
}
