package dev.imagine;

/**
 * Known image model ids, as of December 2026. Models are open strings: any id, such as a
 * reseller's {@code gpt-image-2-ca}, may be passed to {@code model(String)} and is sent as it is.
 * When no model is set, the client picks the best live model the server lists (gpt-image-2 first).
 *
 * <p>OpenAI shut down dall-e-2 and dall-e-3 on 2026-05-12, gpt-image-1 on 2026-10-23, and
 * gpt-image-1-mini, gpt-image-1.5 and chatgpt-image-latest on 2026-12-01; resellers may still
 * serve them. Setting one gives a one-line warning; see docs/models.md.
 */
public final class Model {
  /** OpenAI's GPT image 2 (2026-04-21): any size with edges multiples of 16 up to 3840x2160. */
  public static final String GPT_IMAGE_2 = "gpt-image-2";
  /** GPT image 2.5 "flare" (2026-09-08): adds quality {@code xhigh} and {@code max}. */
  public static final String GPT_IMAGE_2_5_FLARE = "gpt-image-2.5-flare";
  /** GPT image 2.5 "sunburst" (2026-09-08): adds quality {@code xhigh} and {@code max}. */
  public static final String GPT_IMAGE_2_5_SUNBURST = "gpt-image-2.5-sunburst";
  /** GPT image 2.6 "flare" (2026-11-04): adds {@code complexity} and gif/svg output. */
  public static final String GPT_IMAGE_2_6_FLARE = "gpt-image-2.6-flare";
  /** GPT image 2.6 "sunburst" (2026-11-04): adds {@code complexity} and gif/svg output. */
  public static final String GPT_IMAGE_2_6_SUNBURST = "gpt-image-2.6-sunburst";
  /** Shut down by OpenAI on 2026-12-01; replaced by gpt-image-2. */
  public static final String GPT_IMAGE_1_5 = "gpt-image-1.5";
  /** Shut down by OpenAI on 2026-10-23; replaced by gpt-image-2. */
  public static final String GPT_IMAGE_1 = "gpt-image-1";
  /** Shut down by OpenAI on 2026-12-01; replaced by gpt-image-2. */
  public static final String GPT_IMAGE_1_MINI = "gpt-image-1-mini";
  /** Shut down by OpenAI on 2026-12-01; replaced by gpt-image-2. */
  public static final String CHATGPT_IMAGE_LATEST = "chatgpt-image-latest";
  /** Shut down by OpenAI on 2026-05-12; replaced by gpt-image-2. */
  public static final String DALL_E_3 = "dall-e-3";
  /** Shut down by OpenAI on 2026-05-12; replaced by gpt-image-2. The only model that makes variations. */
  public static final String DALL_E_2 = "dall-e-2";

  private Model() {}
}
