package dev.imagine;

/**
 * The client did not send the request because it lacks something it needs, such as an API key:
 * nothing reached a server and nothing was billed. Unlike an {@link ApiException}, no server
 * answered. The message says what to set.
 *
 * <pre>{@code
 * try {
 *   images().prompt("a red fox").generate();
 * } catch (NotSentException e) {
 *   System.err.println(e.getMessage()); // No API key is set for https://…: set OPENAI_API_KEY …
 * }
 * }</pre>
 */
public class NotSentException extends ImagineException {
  public NotSentException(String message) {
    super(message);
  }
}
