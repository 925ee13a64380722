package dev.imagine;

/** Background handling of GPT image models; {@code transparent} needs png or webp output. */
public final class Background {
  public static final String TRANSPARENT = "transparent";
  public static final String OPAQUE = "opaque";
  public static final String AUTO = "auto";

  private Background() {}
}
