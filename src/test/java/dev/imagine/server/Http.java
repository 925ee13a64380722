package dev.imagine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/** A plain JDK HTTP client for the backend tests: what any program would see over loopback. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /** An answer: status, headers and the whole body. */
  record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text().substring(0, Math.min(300, text().length())), e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The {@code error} object of an OpenAI-shaped error body. */
    JsonNode error() {
      return json().get("error");
    }
  }

  private Http() {}

  static Answer post(String url, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    return send(b, headers);
  }

  static Answer get(String url, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
  }

  static Answer send(HttpRequest.Builder b, String... headers) {
    try {
      return sendOrThrow(b, headers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends and lets connection failures through, for the fault tests. */
  static Answer sendOrThrow(HttpRequest.Builder b, String... headers) throws IOException {
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.timeout(Duration.ofSeconds(30));
    try {
      HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(r.statusCode(), r.headers(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Decodes a {@code b64_json} value into an image. */
  static BufferedImage decode(String b64) {
    return read(Base64.getDecoder().decode(b64));
  }

  static BufferedImage read(byte[] bytes) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      if (img == null) {
        throw new AssertionError("not an image ImageIO can read (" + bytes.length + " bytes)");
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A small PNG made on the spot (tests commit no binaries). */
  static byte[] png(int width, int height, int rgb) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, 0xFF000000 | (rgb + x * 3 + y * 7));
      }
    }
    return png(img);
  }

  /** The image as PNG bytes. */
  static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A multipart/form-data body, written by hand so a test can break it in every way a client might. */
  static final class Form {
    private final String boundary = "test-boundary-" + System.nanoTime();
    private final List<byte[]> parts = new ArrayList<>();

    Form field(String name, Object value) {
      parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
          + "\r\n").getBytes(StandardCharsets.UTF_8));
      return this;
    }

    Form file(String name, String filename, String contentType, byte[] bytes) {
      StringBuilder head = new StringBuilder("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"");
      if (filename != null) {
        head.append("; filename=\"").append(filename).append('"');
      }
      head.append("\r\n");
      if (contentType != null) {
        head.append("Content-Type: ").append(contentType).append("\r\n");
      }
      head.append("\r\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(bytes);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
      parts.add(out.toByteArray());
      return this;
    }

    Answer post(String url, String... headers) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      parts.forEach(out::writeBytes);
      out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
          .header("content-type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
      return send(b, headers);
    }
  }
}
