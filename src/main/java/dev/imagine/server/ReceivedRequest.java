package dev.imagine.server;

import java.util.List;

/**
 * An images request the {@link LocalBackend} accepted, as the client sent it (fields it left out
 * are {@code null}): what a test asserts to know exactly what went over the wire.
 *
 * <pre>{@code
 * ReceivedRequest last = backend.received().get(backend.received().size() - 1);
 * assertEquals("1536x1024", last.size());
 * }</pre>
 *
 * @param endpoint {@code generations}, {@code edits} or {@code variations}
 * @param model the model field, or {@code null}
 * @param prompt the prompt, or {@code null}
 * @param n the n field, or {@code null}
 * @param size the size field, or {@code null}
 * @param quality the quality field, or {@code null}
 * @param imageSha256 the SHA-256 (hex) of each uploaded image, in order; empty for generations
 */
public record ReceivedRequest(String endpoint, String model, String prompt, Integer n, String size, String quality,
    List<String> imageSha256) {
  public ReceivedRequest {
    imageSha256 = List.copyOf(imageSha256);
  }
}
