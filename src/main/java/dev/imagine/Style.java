package dev.imagine;

/** The styles dall-e-3 takes; other models reject {@code style}. */
public final class Style {
  public static final String VIVID = "vivid";
  public static final String NATURAL = "natural";

  private Style() {}
}
