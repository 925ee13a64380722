package dev.imagine.internal.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One server-sent event of a streamed generation or edit: {@code image_generation.partial_image},
 * {@code image_generation.completed} (or the {@code image_edit.} pair), or an error.
 */
public record StreamEvent(
    String type,
    @JsonProperty("b64_json") String b64Json,
    @JsonProperty("partial_image_index") Integer partialImageIndex,
    String size,
    String quality,
    String background,
    @JsonProperty("output_format") String outputFormat,
    @JsonProperty("created_at") Long createdAt,
    UsageBody usage,
    ApiError error) {

  public static final String GENERATION_PARTIAL = "image_generation.partial_image";
  public static final String GENERATION_COMPLETED = "image_generation.completed";
  public static final String EDIT_PARTIAL = "image_edit.partial_image";
  public static final String EDIT_COMPLETED = "image_edit.completed";

  /** Everything but the base64, of which only its size. */
  @Override
  public String toString() {
    return "StreamEvent[" + type + (b64Json == null ? "" : ", b64_json of " + b64Json.length() + " chars")
        + (partialImageIndex == null ? "" : ", partial " + partialImageIndex) + (size == null ? "" : ", " + size)
        + (usage == null ? "" : ", " + usage) + (error == null ? "" : ", " + error) + "]";
  }
}
