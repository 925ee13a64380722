package dev.imagine;

/**
 * Known image sizes. Sizes are open strings of the form {@code WIDTHxHEIGHT} (or {@code auto});
 * {@code size(int, int)} builds one. Which sizes a model accepts: dall-e-2 the three squares,
 * dall-e-3 {@code 1024x1024, 1792x1024, 1024x1792}, gpt-image-1 and 1.5 {@code 1024x1024,
 * 1536x1024, 1024x1536, auto}, gpt-image-2 any size with edges that are multiples of 16.
 */
public final class Size {
  public static final String AUTO = "auto";
  public static final String SQUARE_256 = "256x256";
  public static final String SQUARE_512 = "512x512";
  public static final String SQUARE_1024 = "1024x1024";
  public static final String LANDSCAPE_1536x1024 = "1536x1024";
  public static final String PORTRAIT_1024x1536 = "1024x1536";
  public static final String LANDSCAPE_1792x1024 = "1792x1024";
  public static final String PORTRAIT_1024x1792 = "1024x1792";
  public static final String LANDSCAPE_2048x1152 = "2048x1152";
  public static final String UHD_3840x2160 = "3840x2160";

  private Size() {}

  /** {@code of(1536, 1024)} is {@code "1536x1024"}. */
  public static String of(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive, was " + width + "x" + height);
    }
    return width + "x" + height;
  }
}
