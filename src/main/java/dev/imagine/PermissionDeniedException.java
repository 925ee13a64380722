package dev.imagine;

/** The key may not do this (403): the model is not enabled for it, the region is blocked, or (ChatAnywhere) the balance is too low for images. */
public class PermissionDeniedException extends ApiException {
  public PermissionDeniedException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId) {
    super(message, status, type, code, param, serverMessage, requestId);
  }
}
