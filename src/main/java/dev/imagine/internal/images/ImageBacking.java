package dev.imagine.internal.images;

import dev.imagine.GeneratedImage;
import java.util.Objects;

/**
 * Lets the library's own packages make a {@link GeneratedImage} over any {@link ImageBytes} (an
 * image streamed to a file) and reach an image's bytes, without a public method for either:
 * {@link GeneratedImage} registers the accessors when its class loads.
 */
public final class ImageBacking {
  /** What {@link GeneratedImage} gives access to. */
  public interface Access {
    GeneratedImage create(ImageBytes bytes, int index, String prompt, String revisedPrompt, String url);

    ImageBytes bytesOf(GeneratedImage image);
  }

  private static volatile Access access;

  private ImageBacking() {}

  /** Called once, by {@link GeneratedImage}. */
  public static void register(Access accessor) {
    access = Objects.requireNonNull(accessor, "accessor");
  }

  /** An image over {@code bytes}; the other arguments as {@link GeneratedImage}'s constructor has them. */
  public static GeneratedImage image(ImageBytes bytes, int index, String prompt, String revisedPrompt, String url) {
    return access().create(bytes, index, prompt, revisedPrompt, url);
  }

  /** Where an image's bytes are. */
  public static ImageBytes bytesOf(GeneratedImage image) {
    return access().bytesOf(image);
  }

  private static Access access() {
    if (access == null) {
      try {
        Class.forName(GeneratedImage.class.getName(), true, GeneratedImage.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return access;
  }
}
