package dev.imagine;

/**
 * Known image model ids. Models are open strings: any id, such as a reseller's
 * {@code gpt-image-2-ca}, may be passed to {@code model(String)} and is sent as it is.
 */
public final class Model {
  public static final String GPT_IMAGE_2 = "gpt-image-2";
  public static final String GPT_IMAGE_1_5 = "gpt-image-1.5";
  public static final String GPT_IMAGE_1 = "gpt-image-1";
  public static final String GPT_IMAGE_1_MINI = "gpt-image-1-mini";
  public static final String CHATGPT_IMAGE_LATEST = "chatgpt-image-latest";
  public static final String DALL_E_3 = "dall-e-3";
  public static final String DALL_E_2 = "dall-e-2";

  private Model() {}
}
