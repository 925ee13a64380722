package dev.imagine.internal.images;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What counts as an image value (shown as pictures by the REPL, the notebook kernel and exports) and its images. */
public final class ImageValues {
  private ImageValues() {}

  /** Whether {@code value} is an image value: an {@link ImageResult}, a {@link GeneratedImage} or a non-empty collection of them. */
  public static boolean isImageValue(Object value) {
    if (value instanceof ImageResult || value instanceof GeneratedImage) {
      return true;
    }
    return value instanceof Collection<?> c && !c.isEmpty()
        && c.stream().allMatch(v -> v instanceof ImageResult || v instanceof GeneratedImage);
  }

  /** Every image in an image value, in order; empty for anything else. */
  public static List<GeneratedImage> imagesOf(Object value) {
    List<GeneratedImage> out = new ArrayList<>();
    if (value instanceof ImageResult r) {
      out.addAll(r.images());
    } else if (value instanceof GeneratedImage g) {
      out.add(g);
    } else if (isImageValue(value)) {
      for (Object o : (Collection<?>) value) {
        out.addAll(imagesOf(o));
      }
    }
    return out;
  }

}
