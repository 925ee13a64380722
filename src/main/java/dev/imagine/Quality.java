package dev.imagine;

/** Known quality values (open strings): GPT image models take low to high, DALL·E standard or hd. */
public final class Quality {
  public static final String AUTO = "auto";
  public static final String LOW = "low";
  public static final String MEDIUM = "medium";
  public static final String HIGH = "high";
  public static final String STANDARD = "standard";
  public static final String HD = "hd";

  private Quality() {}
}
