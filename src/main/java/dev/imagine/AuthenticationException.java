package dev.imagine;

/** The API key is missing or was refused (401): set {@code OPENAI_API_KEY} to a valid key. */
public class AuthenticationException extends ApiException {
  public AuthenticationException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId) {
    super(message, status, type, code, param, serverMessage, requestId);
  }
}
