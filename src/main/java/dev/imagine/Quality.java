package dev.imagine;

/** Known quality values (open strings): GPT image models take low to high (2.5 on: also xhigh and max), DALL·E standard or hd. */
public final class Quality {
  public static final String AUTO = "auto";
  public static final String LOW = "low";
  public static final String MEDIUM = "medium";
  public static final String HIGH = "high";
  /** Above high: gpt-image-2.5 and later. */
  public static final String XHIGH = "xhigh";
  /** The most detailed: gpt-image-2.5 and later. */
  public static final String MAX = "max";
  public static final String STANDARD = "standard";
  public static final String HD = "hd";

  private Quality() {}
}
