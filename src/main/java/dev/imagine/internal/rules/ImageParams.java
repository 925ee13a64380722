package dev.imagine.internal.rules;

/**
 * The fields of an images request that the per-model rules look at, as they travel on the wire
 * (JSON for generations, form fields for edits and variations). Absent fields are {@code null}.
 */
public record ImageParams(
    Endpoint endpoint,
    String prompt,
    String model,
    Integer n,
    String size,
    String quality,
    String style,
    String responseFormat,
    String outputFormat,
    Integer outputCompression,
    String background,
    String moderation,
    String inputFidelity,
    Boolean stream,
    Integer partialImages) {

  /** Which Images API operation the request is for. */
  public enum Endpoint {
    GENERATIONS("generations"), EDITS("edits"), VARIATIONS("variations");

    private final String path;

    Endpoint(String path) {
      this.path = path;
    }

    /** The path below the base URL, e.g. {@code images/generations}. */
    public String path() {
      return "images/" + path;
    }
  }
}
