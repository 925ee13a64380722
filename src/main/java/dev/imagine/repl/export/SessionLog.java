package dev.imagine.repl.export;

import dev.imagine.internal.images.ImageValues;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a session did, cell by cell, for {@code /export} and {@code imagine export-notebook}: each
 * cell's code and, in order, what it printed, its values and its images. The REPL makes one cell
 * per input, a script one per {@code // %%} section (or per snippet without markers).
 *
 * <pre>{@code
 * SessionLog log = new SessionLog();
 * System.setOut(log.tee(System.out, SessionLog.STDOUT));   // snippets' printing is recorded too
 * log.startCell("var r = images().prompt(\"a fox\").generate()");
 * log.value(r, null);
 * log.endCell();
 * Exports.write(log, Path.of("session.ipynb"), secrets);
 * }</pre>
 *
 * Thread-safe: snippets print from their own threads.
 */
public final class SessionLog {
  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";

  /** One cell: its code, its outputs in order, and whether it failed (a compile error, an exception). */
  public record Cell(String source, List<Output> outputs, boolean failed) {
    public Cell {
      outputs = List.copyOf(outputs);
    }
  }

  /** What a cell showed. */
  public sealed interface Output {}

  /** Text a snippet printed, on {@link #STDOUT} or {@link #STDERR}. */
  public record Stream(String name, String text) implements Output {}

  /** A value that is not an image, as its text ({@code 42}, {@code "a"}). */
  public record Value(String text) implements Output {}

  /** An image value: an {@code ImageResult}, a {@code GeneratedImage} or a list of them. */
  public record Images(Object value) implements Output {}

  private final List<Cell> done = new ArrayList<>();
  private String source;
  private List<Output> outputs;
  private boolean failed;
  // bytes, decoded when a value or the cell's end closes them: a write may split a character
  private final ByteArrayOutputStream pendingText = new ByteArrayOutputStream();
  private String pendingStream;

  /** Starts a new cell with this code, ending the one before. */
  public synchronized void startCell(String code) {
    endCell();
    source = code;
    outputs = new ArrayList<>();
    failed = false;
  }

  /** Whether a cell is open. */
  public synchronized boolean inCell() {
    return source != null;
  }

  /** A value of the open cell: image values keep the images, others their {@code text}; {@code null} text adds nothing. */
  public synchronized void value(Object value, String text) {
    flushText();
    if (outputs == null) {
      return;
    }
    if (ImageValues.isImageValue(value)) {
      outputs.add(new Images(value));
    } else if (text != null) {
      outputs.add(new Value(text));
    }
  }

  /** The open cell failed, saying {@code message} (shown as its error text). */
  public synchronized void failed(String message) {
    flushText();
    if (outputs == null) {
      return;
    }
    failed = true;
    outputs.add(new Stream(STDERR, message.endsWith("\n") ? message : message + "\n"));
  }

  /** Ends the open cell, if any, keeping what it printed. */
  public synchronized void endCell() {
    flushText();
    if (source != null) {
      done.add(new Cell(source, outputs, failed));
    }
    source = null;
    outputs = null;
  }

  /** The cells so far, the open one included. */
  public synchronized List<Cell> cells() {
    flushText();
    List<Cell> all = new ArrayList<>(done);
    if (source != null) {
      all.add(new Cell(source, outputs, failed));
    }
    return all;
  }

  /** Whether nothing was recorded yet. */
  public synchronized boolean isEmpty() {
    return done.isEmpty() && source == null;
  }

  /**
   * A stream that writes to {@code target} and records the text as printed on {@code stream}
   * while a cell is open. Install it as {@code System.out}/{@code System.err} for the snippets.
   */
  public PrintStream tee(PrintStream target, String stream) {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        target.write(b, off, len);
        printed(stream, b, off, len);
      }

      @Override
      public void flush() {
        target.flush();
      }
    }, true, StandardCharsets.UTF_8);
  }

  private synchronized void printed(String stream, byte[] b, int off, int len) {
    if (source == null) {
      return;
    }
    if (pendingStream != null && !pendingStream.equals(stream)) {
      flushText();
    }
    pendingStream = stream;
    pendingText.write(b, off, len);
  }

  private void flushText() {
    if (pendingText.size() > 0 && outputs != null) {
      String text = pendingText.toString(StandardCharsets.UTF_8);
      Output last = outputs.isEmpty() ? null : outputs.get(outputs.size() - 1);
      if (last instanceof Stream s && s.name().equals(pendingStream)) {
        outputs.set(outputs.size() - 1, new Stream(s.name(), s.text() + text));
      } else {
        outputs.add(new Stream(pendingStream, text));
      }
    }
    pendingText.reset();
    pendingStream = null;
  }
}
