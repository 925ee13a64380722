package dev.imagine.jupyter;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageResult;
import dev.imagine.internal.images.ImageValues;
import dev.imagine.internal.images.NotebookImages;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.stream.Collectors;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Shows imagine's results as pictures in JJava, the Java Jupyter kernel. Nothing to call: the
 * kernel finds this class through {@code META-INF/services/org.dflib.jjava.jupyter.Extension}
 * when it starts and whenever a cell adds our jar:
 *
 * <pre>{@code
 * %maven dev.imagine:imagine:0.1.0-SNAPSHOT
 * import static dev.imagine.Images.images;
 * images().prompt("a red fox").n(2).generate()   // the cell shows both foxes, numbered, and a summary line
 * }</pre>
 *
 * A {@link GeneratedImage} shows in its own format (PNG, JPEG; other formats as PNG), an
 * {@link ImageResult} as its image or, for several, one numbered grid, and a list of results or
 * images as one grid of all their images; each with a {@code text/plain} line saying what it is.
 * Installing twice changes nothing, and installing prints nothing (it would land in the cell).
 */
public final class ImagineExtension implements Extension {
  private static final Set<Renderer> INSTALLED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Public for {@link java.util.ServiceLoader}. */
  public ImagineExtension() {}

  @Override
  public void install(BaseKernel kernel) {
    Renderer renderer = kernel.getRenderer();
    if (!INSTALLED.add(renderer)) {
      return;
    }
    renderer.createRegistration(GeneratedImage.class).preferring(MIMEType.IMAGE_PNG, MIMEType.IMAGE_JPEG)
        .register(ImagineExtension::render);
    renderer.createRegistration(ImageResult.class).preferring(MIMEType.IMAGE_PNG, MIMEType.IMAGE_JPEG)
        .register(ImagineExtension::render);
    // Lists of anything else are left alone: render() adds nothing, the kernel shows toString().
    renderer.createRegistration(List.class).preferring(MIMEType.IMAGE_PNG, MIMEType.IMAGE_JPEG)
        .register(ImagineExtension::render);
  }

  static void render(Object value, RenderContext context) {
    if (!ImageValues.isImageValue(value)) {
      return;
    }
    List<GeneratedImage> images = ImageValues.imagesOf(value);
    String summary = summary(value);
    try {
      NotebookImages.Output out = NotebookImages.of(images);
      if (!context.wantsDataRenderedAs(MIMEType.parse(out.mimeType()))) {
        if (!context.wantsDataRenderedAs(MIMEType.IMAGE_PNG)) {
          context.getOutputContainer().putText(summary);
          return;
        }
        out = NotebookImages.asPng(images);
      }
      context.getOutputContainer().putData(MIMEType.parse(out.mimeType()), out.base64());
      context.getOutputContainer().putText(summary);
    } catch (RuntimeException e) {
      context.getOutputContainer().putText(summary + "\n(not drawn: " + e.getMessage() + ")");
    }
  }

  /** One line per result or image: its {@code toString()}, which never holds a key or a payload. */
  private static String summary(Object value) {
    if (value instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).collect(Collectors.joining("\n"));
    }
    return String.valueOf(value);
  }
}
