package dev.imagine.internal.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Token usage reported by GPT image models. */
public record UsageBody(
    @JsonProperty("input_tokens") Long inputTokens,
    @JsonProperty("output_tokens") Long outputTokens,
    @JsonProperty("total_tokens") Long totalTokens,
    @JsonProperty("input_tokens_details") Details inputTokensDetails) {

  /** How the input tokens split between text and images. */
  public record Details(
      @JsonProperty("text_tokens") Long textTokens,
      @JsonProperty("image_tokens") Long imageTokens) {}
}
