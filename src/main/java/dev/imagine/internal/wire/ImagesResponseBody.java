package dev.imagine.internal.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of a successful images response (generations, edits and variations). */
public record ImagesResponseBody(
    long created,
    List<ImageData> data,
    String background,
    @JsonProperty("output_format") String outputFormat,
    String size,
    String quality,
    UsageBody usage) {

  /** One image: {@code b64_json} or {@code url}, and the prompt dall-e-3 actually used. */
  public record ImageData(
      @JsonProperty("b64_json") String b64Json,
      String url,
      @JsonProperty("revised_prompt") String revisedPrompt) {

    /** The size of the base64, never its text; the URL without its query (signed URLs carry tokens there). */
    @Override
    public String toString() {
      return "ImageData[" + (b64Json == null ? "no b64_json" : "b64_json of " + b64Json.length() + " chars")
          + (url == null ? "" : ", url=" + url.replaceFirst("[?#].*", "?…"))
          + (revisedPrompt == null ? "" : ", revisedPrompt=" + revisedPrompt) + "]";
    }
  }
}
