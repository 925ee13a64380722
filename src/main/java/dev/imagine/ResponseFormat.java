package dev.imagine;

/** How DALL·E models return images; GPT image models always return base64 and reject the field. */
public final class ResponseFormat {
  public static final String URL = "url";
  public static final String B64_JSON = "b64_json";

  private ResponseFormat() {}
}
