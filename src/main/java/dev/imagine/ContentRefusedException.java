package dev.imagine;

import java.util.List;

/**
 * The server's content filter refused the request: the prompt or an input image (stage
 * {@code input}), or the image it made (stage {@code output}, which may still count against the
 * quota). OpenAI answers {@code moderation_blocked} with {@code moderation_details}; Azure OpenAI
 * answers {@code content_policy_violation} with {@code inner_error.content_filter_results}. Both
 * become this exception. It is never retried: the prompt or image must change, not the settings.
 *
 * <pre>{@code
 * try {
 *   images().prompt(prompt).generate();
 * } catch (ContentRefusedException e) {
 *   System.out.println("refused at the " + e.stage() + " stage for " + e.categories());
 * }
 * }</pre>
 */
public class ContentRefusedException extends BadRequestException {
  private final String stage;
  private final List<String> categories;

  public ContentRefusedException(String message, int status, String type, String code, String param,
      String serverMessage, String requestId, String stage, List<String> categories) {
    super(message, status, type, code, param, serverMessage, requestId);
    this.stage = stage;
    this.categories = List.copyOf(categories);
  }

  /** {@code input} (the prompt or an image given) or {@code output} (the image made); {@code null} when the server did not say. */
  public String stage() {
    return stage;
  }

  /** The categories the filter named, e.g. {@code [sexual, violence]}; empty when it named none. */
  public List<String> categories() {
    return categories;
  }
}
