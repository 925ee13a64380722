package dev.imagine.jupyter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageResult;
import dev.imagine.Model;
import dev.imagine.OnLocalBackend;
import dev.imagine.OutputFormat;
import dev.imagine.ResponseFormat;
import dev.imagine.Size;
import dev.imagine.internal.images.ImageGrid;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.junit.jupiter.api.Test;

/** The extension inside the real JJava kernel library: found by ServiceLoader, installed by the kernel's own code. */
class ImagineExtensionTest extends OnLocalBackend {
  /** A renderer that counts registrations, so installing twice can be seen to change nothing. */
  static final class CountingRenderer extends Renderer {
    final AtomicInteger registrations = new AtomicInteger();

    @Override
    public <T> void register(Set<MIMEType> supported, Set<MIMEType> preferred, Set<Class<? extends T>> types,
        RenderFunction<T> function) {
      registrations.incrementAndGet();
      super.register(supported, preferred, types, function);
    }
  }

  /** The smallest kernel: JJava's BaseKernel with its own renderer and extension loading, evaluating nothing. */
  static final class TestKernel extends BaseKernel {
    TestKernel(CountingRenderer renderer) {
      super("test", "1", null, List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), renderer,
          null, null, true, new StringStyler("", "", "", i -> ""));
    }

    void loadExtensionsFromClassPath() {
      installExtensions(ImagineExtensionTest.class.getClassLoader());
    }

    @Override
    public Object evalRaw(String expr) {
      return null;
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
      return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
      return null;
    }

    @Override
    public String isComplete(String code) {
      return IS_COMPLETE_YES;
    }
  }

  static TestKernel kernel() {
    TestKernel kernel = new TestKernel(new CountingRenderer());
    kernel.loadExtensionsFromClassPath();
    return kernel;
  }

  static byte[] data(DisplayData d, MIMEType type) {
    Object value = d.getData(type);
    assertThat(value).as("%s output", type).isInstanceOf(String.class);
    return Base64.getDecoder().decode((String) value);
  }

  static int[] pixels(BufferedImage image, Rectangle r) {
    return image.getRGB(r.x, r.y, r.width, r.height, null, 0, r.width);
  }

  static ImageResult small(String prompt, int n) {
    return client.images().prompt(prompt).model(Model.DALL_E_2).size(Size.SQUARE_256).n(n)
        .responseFormat(ResponseFormat.B64_JSON).generate();
  }

  @Test
  void serviceLoaderFindsTheExtensionAndTheKernelInstallsItSilently() {
    assertThat(ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::type))
        .contains(ImagineExtension.class);

    PrintStream out = System.out, err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    TestKernel kernel;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      kernel = kernel();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(((CountingRenderer) kernel.getRenderer()).registrations.get()).isGreaterThan(0);
  }

  @Test
  void installingTwiceRegistersNothingMore() {
    TestKernel kernel = kernel();
    CountingRenderer renderer = (CountingRenderer) kernel.getRenderer();
    int once = renderer.registrations.get();
    new ImagineExtension().install(kernel);
    kernel.loadExtensionsFromClassPath();
    assertThat(renderer.registrations.get()).isEqualTo(once);
    assertThat(kernel.getRenderer().render(small("twice", 1)).getData(MIMEType.IMAGE_PNG)).isNotNull();
  }

  @Test
  void aResultOfOneImageShowsItsOwnBytesAndASummaryLine() {
    ImageResult r = small("a red fox", 1);
    DisplayData shown = kernel().getRenderer().render(r);
    assertThat(data(shown, MIMEType.IMAGE_PNG)).isEqualTo(r.image().bytes());
    assertThat(shown.getData(MIMEType.TEXT_PLAIN)).isEqualTo(r.toString());
    assertThat(shown.getData(MIMEType.TEXT_HTML)).as("JupyterLab would prefer html to the picture").isNull();
  }

  @Test
  void severalImagesShowAsOneGridHoldingEachImagesPixels() throws Exception {
    ImageResult r = small("three foxes", 3);
    byte[] png = data(kernel().getRenderer().render(r), MIMEType.IMAGE_PNG);
    BufferedImage grid = ImageIO.read(new ByteArrayInputStream(png));
    List<BufferedImage> decoded = r.images().stream().map(GeneratedImage::toBufferedImage).toList();
    ImageGrid.Layout layout = ImageGrid.of(decoded).layout();
    assertThat(grid.getWidth()).isEqualTo(layout.width());
    for (int i = 0; i < 3; i++) {
      assertThat(pixels(grid, layout.tiles().get(i))).as("image %d", i)
          .containsExactly(pixels(decoded.get(i), new Rectangle(0, 0, 256, 256)));
    }
  }

  @Test
  void aJpegShowsAsJpegAndAsPngWhenPngIsAskedFor() throws Exception {
    GeneratedImage jpeg = client.images().prompt("a jpeg fox").outputFormat(OutputFormat.JPEG).generate().image();
    Renderer renderer = kernel().getRenderer();
    DisplayData shown = renderer.render(jpeg);
    assertThat(data(shown, MIMEType.IMAGE_JPEG)).isEqualTo(jpeg.bytes());
    assertThat(shown.getData(MIMEType.IMAGE_PNG)).isNull();
    assertThat(shown.getData(MIMEType.TEXT_PLAIN)).isEqualTo(jpeg.toString());

    byte[] png = data(renderer.renderAs(jpeg, "image/png"), MIMEType.IMAGE_PNG);
    BufferedImage asPng = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(asPng.getWidth()).isEqualTo(jpeg.width());
  }

  @Test
  void aListOfResultsShowsAllTheirImagesInOneGridAndOtherListsAreLeftAlone() throws Exception {
    List<ImageResult> results = List.of(small("one", 1), small("two", 2));
    Renderer renderer = kernel().getRenderer();
    DisplayData shown = renderer.render(results);
    BufferedImage grid = ImageIO.read(new ByteArrayInputStream(data(shown, MIMEType.IMAGE_PNG)));
    List<BufferedImage> all = results.stream().flatMap(r -> r.images().stream()).map(GeneratedImage::toBufferedImage).toList();
    ImageGrid.Layout layout = ImageGrid.of(all).layout();
    assertThat(layout.tiles()).hasSize(3);
    assertThat(pixels(grid, layout.tiles().get(2))).containsExactly(pixels(all.get(2), new Rectangle(0, 0, 256, 256)));
    assertThat(((String) shown.getData(MIMEType.TEXT_PLAIN)).lines()).hasSize(2).allMatch(l -> l.startsWith("ImageResult["));

    DisplayData words = renderer.render(List.of("a", "b"));
    assertThat(words.getData(MIMEType.IMAGE_PNG)).isNull();
    assertThat(words.getData(MIMEType.TEXT_PLAIN)).isEqualTo("[a, b]");
  }

  @Test
  void anImageThisJvmCannotDecodeIsSummarisedSayingWhyItIsNotDrawn() {
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    GeneratedImage image = new GeneratedImage(webp, 0, "a fox", null, null);
    DisplayData shown = kernel().getRenderer().render(image);
    assertThat(shown.getData(MIMEType.IMAGE_PNG)).isNull();
    assertThat((String) shown.getData(MIMEType.TEXT_PLAIN)).startsWith(image.toString()).contains("not drawn")
        .contains("image/webp");
  }
}
