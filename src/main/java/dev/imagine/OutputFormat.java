package dev.imagine;

/** The file format GPT image models encode to. */
public final class OutputFormat {
  public static final String PNG = "png";
  public static final String JPEG = "jpeg";
  public static final String WEBP = "webp";
  /** An animation (gpt-image-2.6): {@code frame_count} 2-16 frames, {@code frame_duration_ms} each. */
  public static final String GIF = "gif";
  /** Vector graphics (gpt-image-2.6). */
  public static final String SVG = "svg";

  private OutputFormat() {}
}
