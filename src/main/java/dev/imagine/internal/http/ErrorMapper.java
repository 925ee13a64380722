package dev.imagine.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ApiException;
import dev.imagine.AuthenticationException;
import dev.imagine.BadRequestException;
import dev.imagine.ContentRefusedException;
import dev.imagine.PermissionDeniedException;
import dev.imagine.RateLimitException;
import dev.imagine.ServerException;
import dev.imagine.internal.models.ModelCatalog;
import dev.imagine.internal.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an error answer into the exception a user can catch, with a message that says what
 * happened and what to do. Copes with OpenAI's JSON, resellers' variants, HTML pages (also HTML
 * inside {@code error.message}), empty and truncated bodies.
 */
final class ErrorMapper {
  private static final int EXCERPT = 300;
  private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");

  private ErrorMapper() {}

  /** What the body says: OpenAI's error fields when present, otherwise a readable excerpt. */
  record ServerError(String message, String type, String code, String param, Refusal refusal) {
    ServerError(String message, String type, String code, String param) {
      this(message, type, code, param, null);
    }
  }

  /** A content filter's refusal: the stage ({@code input}/{@code output}, or null) and the categories named. */
  record Refusal(String stage, List<String> categories) {}

  static final String DEFAULT_KEY_SETTING = "OPENAI_API_KEY (or -Dopenai.apiKey)";
  private static final Pattern SAFETY_VIOLATIONS = Pattern.compile("safety_violations=\\[([^\\]]*)]");

  static ServerError parse(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return new ServerError(null, null, null, null);
    }
    try {
      JsonNode root = Json.MAPPER.readTree(text);
      JsonNode error = root.path("error");
      if (error.isObject()) {
        String code = textOf(error, "code");
        String param = textOf(error, "param");
        String message = readable(textOf(error, "message"));
        return new ServerError(message, textOf(error, "type"), code, param, refusal(error, code, param, message));
      }
      if (error.isTextual()) {
        return new ServerError(readable(error.asText()), null, null, null);
      }
      if (root.hasNonNull("message")) {
        return new ServerError(readable(root.get("message").asText()), textOf(root, "type"), textOf(root, "code"), null);
      }
    } catch (Exception notJson) {
      // an HTML page from a proxy, or JSON cut off by a dropped connection: show it as text
    }
    return new ServerError(readable(text), null, null, null);
  }

  /**
   * OpenAI's {@code moderation_blocked} (stage and categories in {@code moderation_details}, or
   * only in the message as {@code safety_violations=[...]}), Azure's {@code content_policy_violation}
   * (categories filtered in {@code inner_error.content_filter_results}); {@code null} for other errors.
   */
  private static Refusal refusal(JsonNode error, String code, String param, String message) {
    JsonNode moderation = error.path("moderation_details");
    JsonNode inner = error.has("inner_error") ? error.path("inner_error") : error.path("innererror");
    JsonNode filters = inner.path("content_filter_results");
    boolean refused = "moderation_blocked".equals(code) || "content_policy_violation".equals(code)
        || moderation.isObject() || filters.isObject();
    if (!refused) {
      return null;
    }
    String stage = moderation.isObject() ? textOf(moderation, "moderation_stage") : null;
    List<String> categories = new ArrayList<>();
    moderation.path("categories").forEach(c -> categories.add(c.asText()));
    for (Map.Entry<String, JsonNode> f : filters.properties()) {
      if (f.getValue().path("filtered").asBoolean(false)) {
        categories.add(f.getKey());
      }
    }
    if (stage == null && filters.isObject() && ("prompt".equals(param) || "image".equals(param))) {
      stage = "input"; // Azure filters the prompt before generating
    }
    Matcher listed = SAFETY_VIOLATIONS.matcher(message == null ? "" : message);
    if (categories.isEmpty() && listed.find()) {
      for (String c : listed.group(1).split(",")) {
        if (!c.isBlank()) {
          categories.add(c.strip());
        }
      }
    }
    return new Refusal(stage, categories);
  }

  /** True when the body is JSON with an {@code error} object, which some servers send with status 200. */
  static boolean isErrorBody(JsonNode root) {
    return root.path("error").isObject() || root.path("error").isTextual();
  }

  static ApiException toException(int status, String statusMessage, ServerError error, String requestId,
      String url, Duration retryAfter) {
    return toException(status, statusMessage, error, requestId, url, retryAfter, null, DEFAULT_KEY_SETTING);
  }

  /**
   * As the other, for a request to {@code model} (a {@code model_not_found} answer then says why and
   * what to use); {@code keySetting} is what the user sets to give a key, named when a key is refused.
   */
  static ApiException toException(int status, String statusMessage, ServerError error, String requestId,
      String url, Duration retryAfter, String model, String keySetting) {
    String message = describe(status, statusMessage, error, requestId, url, retryAfter, keySetting);
    if (model != null && isModelNotFound(status, error)) {
      message = message + ". " + ModelCatalog.shutDownNotice(model, ModelCatalog.today())
          .map(notice -> notice + " (or leave the model unset: the client picks the server's best)")
          .orElse("This server does not serve " + model + ": check the name, or leave the model unset to use the "
              + "best model the server lists");
    }
    String sm = error.message();
    if (error.refusal() != null && status < 500) {
      return new ContentRefusedException(message, status, error.type(), error.code(), error.param(), sm, requestId,
          error.refusal().stage(), error.refusal().categories());
    }
    if (status == 401) {
      return new AuthenticationException(message, status, error.type(), error.code(), error.param(), sm, requestId);
    }
    if (status == 403) {
      return new PermissionDeniedException(message, status, error.type(), error.code(), error.param(), sm, requestId);
    }
    if (status == 429) {
      return new RateLimitException(message, status, error.type(), error.code(), error.param(), sm, requestId, retryAfter);
    }
    if (status >= 500) {
      return new ServerException(message, status, error.type(), error.code(), error.param(), sm, requestId);
    }
    if (status >= 400) {
      return new BadRequestException(message, status, error.type(), error.code(), error.param(), sm, requestId);
    }
    return new ApiException(message, status, error.type(), error.code(), error.param(), sm, requestId);
  }

  private static String describe(int status, String statusMessage, ServerError e, String requestId, String url,
      Duration retryAfter, String keySetting) {
    StringBuilder s = new StringBuilder();
    s.append(status).append(statusMessage == null || statusMessage.isBlank() ? "" : " " + statusMessage)
        .append(" from ").append(url).append(": ")
        .append(e.message() == null ? "(empty body)" : e.message());
    StringBuilder details = new StringBuilder();
    appendDetail(details, "type", e.type());
    appendDetail(details, "code", e.code());
    appendDetail(details, "param", e.param());
    appendDetail(details, "request id", requestId);
    if (details.length() > 0) {
      s.append(" (").append(details).append(')');
    }
    String advice = advice(status, e, retryAfter, keySetting);
    if (advice != null) {
      s.append(". ").append(advice);
    }
    return s.toString();
  }

  private static boolean isModelNotFound(int status, ServerError e) {
    return "model_not_found".equals(e.code())
        || status == 404 && e.message() != null && e.message().contains("does not exist");
  }

  private static void appendDetail(StringBuilder s, String name, String value) {
    if (value != null && !value.isBlank()) {
      s.append(s.length() == 0 ? "" : ", ").append(name).append(' ').append(value);
    }
  }

  private static String advice(int status, ServerError e, Duration retryAfter, String keySetting) {
    if (e.refusal() != null && status < 500) {
      return refusalAdvice(e.refusal());
    }
    String all = ((e.message() == null ? "" : e.message()) + " " + e.code() + " " + e.type()).toLowerCase(Locale.ROOT);
    if (status == 401) {
      return "Check the API key: set " + keySetting + " to a valid key for this server";
    }
    if (status == 403) {
      if (isLowBalance(all)) {
        return "The account's balance is too low for images: top it up, or use another key";
      }
      return "This key may not use this model or endpoint here (or the region is blocked): try another model or key";
    }
    if (status == 404) {
      return "Check the base URL (it usually ends in /v1) and the model name";
    }
    if (status == 413) {
      return "The request is too large: send smaller or fewer input images";
    }
    if (status == 429) {
      if (all.contains("insufficient_quota") || isLowBalance(all)) {
        return "The quota is used up: add credit; waiting will not help";
      }
      return "Rate limited: wait" + (retryAfter == null ? "" : " " + retryAfter.toSeconds() + " s")
          + " and try again, or send fewer requests at once";
    }
    if (status >= 500) {
      return "The server failed; try again later";
    }
    if (status >= 400) {
      return "Fix the request and send it again";
    }
    return null;
  }

  private static String refusalAdvice(Refusal r) {
    String stage = r.stage() == null ? "" : " at the " + r.stage() + " stage";
    String categories = r.categories().isEmpty() ? "" : " (categories: " + String.join(", ", r.categories()) + ")";
    String what = "output".equals(r.stage())
        ? "the image it made was refused, which may still count against the quota; the prompt or input image must change"
        : "the prompt or input image must change, not the request's settings";
    return "Refused by the content filter" + stage + categories + ": " + what + ". Sending it again will not help";
  }

  /** ChatAnywhere's "账户余额过低" and English "insufficient balance" answers. */
  static boolean isLowBalance(String lowerCaseText) {
    return lowerCaseText.contains("余额") || lowerCaseText.contains("balance") || lowerCaseText.contains("insufficient_quota");
  }

  /** HTML reduced to its title or text; long text cut, with an ellipsis. */
  static String readable(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    if (t.startsWith("<") || t.toLowerCase(Locale.ROOT).contains("<html")) {
      Matcher title = TITLE.matcher(t);
      String plain = t.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]+>", " ")
          .replaceAll("&nbsp;", " ").replaceAll("\\s+", " ").strip();
      t = title.find() ? title.group(1).strip() : plain;
      if (!title.hitEnd() && plain.length() > t.length() && !plain.startsWith(t)) {
        t = t + " — " + plain;
      }
      t = "HTML page: " + t;
    }
    t = t.replaceAll("\\s+", " ");
    return t.length() <= EXCERPT ? t : t.substring(0, EXCERPT - 1) + "…";
  }

  private static String textOf(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
