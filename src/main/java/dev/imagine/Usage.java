package dev.imagine;

/**
 * Tokens a GPT image model counted for the request (DALL·E reports none).
 *
 * @param inputTokens tokens of the prompt and input images
 * @param outputTokens tokens of the generated images
 * @param totalTokens input plus output
 * @param textTokens input tokens from text, or {@code null} when not reported
 * @param imageTokens input tokens from images, or {@code null} when not reported
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens, Long textTokens, Long imageTokens) {}
