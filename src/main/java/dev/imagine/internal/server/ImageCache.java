package dev.imagine.internal.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encoded images by what they show, least recently used first out, so a benchmark that asks for
 * the same image again pays for drawing and encoding once. Concurrent requests for one image wait
 * for a single rendering. Call only off the event loop: a miss draws and encodes.
 */
final class ImageCache {
  /**
   * What identifies an encoded image: the drawing, the format and (for jpeg) the quality. An
   * edit's or variation's input is in the drawing's {@code salt} (a checksum of its files).
   */
  record Key(ImagePainter.Spec spec, String format, int compression) {}

  /** An encoded image, with its base64 form made once on first use. */
  static final class Rendered {
    final byte[] bytes;
    final String format;
    private volatile byte[] base64;

    Rendered(byte[] bytes, String format) {
      this.bytes = bytes;
      this.format = format;
    }

    /** The base64 text as ASCII bytes, ready to go between the quotes of {@code "b64_json"}. */
    byte[] base64() {
      byte[] b = base64;
      if (b == null) {
        b = Base64.getEncoder().encode(bytes);
        base64 = b;
      }
      return b;
    }

    String mimeType() {
      return "image/" + format;
    }
  }

  private static final class Slot {
    Rendered value;
    long weight;
  }

  private final long capacityBytes;
  private final LinkedHashMap<Key, Slot> slots = new LinkedHashMap<>(64, 0.75f, true);
  private long usedBytes;

  ImageCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** @param input the edit's or variation's picture, decoded only on a miss; null for a generation */
  Rendered get(Key key, PaintInput input) {
    Slot slot;
    synchronized (slots) {
      slot = slots.computeIfAbsent(key, k -> new Slot());
    }
    Rendered r;
    synchronized (slot) {
      if (slot.value == null) {
        slot.value = encode(key, input);
      }
      r = slot.value;
    }
    synchronized (slots) {
      if (slot.weight == 0 && slots.get(key) == slot) {
        slot.weight = r.bytes.length * 7L / 3; // the file and, soon, its base64
        usedBytes += slot.weight;
        evict();
      }
    }
    return r;
  }

  private void evict() {
    Iterator<Map.Entry<Key, Slot>> it = slots.entrySet().iterator();
    while (usedBytes > capacityBytes && it.hasNext()) {
      Slot s = it.next().getValue();
      usedBytes -= s.weight;
      it.remove();
    }
  }

  private static Rendered encode(Key key, PaintInput input) {
    ImagePainter.Spec spec = key.spec();
    int[] px = ImagePainter.paint(spec, input);
    if (key.format().equals("png")) {
      return new Rendered(PngEncoder.encode(px, spec.width(), spec.height(), spec.transparent()), "png");
    }
    return new Rendered(encodeWithImageIo(px, spec.width(), spec.height(), key.format(), key.compression()),
        key.format());
  }

  /** Whether this JVM can write the format (webp needs a plug-in on the class path). */
  static boolean canWrite(String format) {
    return format.equals("png") || ImageIO.getImageWritersByFormatName(format).hasNext();
  }

  private static byte[] encodeWithImageIo(int[] px, int w, int h, String format, int compression) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.getRaster().setDataElements(0, 0, w, h, px);
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream out = new ByteArrayOutputStream(w * h / 2);
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (param.canWriteCompressed()) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        // the API's output_compression runs 0-100 with 100 the best: the writer's quality
        param.setCompressionQuality(Math.max(0.05f, compression / 100f));
      }
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + format, e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
