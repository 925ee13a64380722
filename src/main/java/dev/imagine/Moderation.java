package dev.imagine;

/** Content moderation strictness of GPT image models. */
public final class Moderation {
  public static final String LOW = "low";
  public static final String AUTO = "auto";

  private Moderation() {}
}
