package dev.imagine;

/** The file format GPT image models encode to. */
public final class OutputFormat {
  public static final String PNG = "png";
  public static final String JPEG = "jpeg";
  public static final String WEBP = "webp";

  private OutputFormat() {}
}
