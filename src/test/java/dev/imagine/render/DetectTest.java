package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.internal.render.TerminalProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TerminalGraphics#detect} on a JLine terminal over pipes; the test plays the terminal emulator. */
class DetectTest {
  /** What the program wrote to the terminal, byte by byte. */
  final LinkedBlockingQueue<Integer> written = new LinkedBlockingQueue<>();
  /** What the terminal emulator "types": replies. */
  final LinkedBlockingQueue<Integer> typed = new LinkedBlockingQueue<>();
  Terminal terminal;

  Terminal terminal(String type) throws IOException {
    InputStream in = new InputStream() {
      @Override
      public int read() throws IOException {
        try {
          return typed.take();
        } catch (InterruptedException e) {
          throw new InterruptedIOException();
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        // Block for the first byte only, like a real tty, then hand over what has arrived.
        b[off] = (byte) read();
        int n = 1;
        Integer next;
        while (n < len && (next = typed.poll()) != null) {
          b[off + n++] = (byte) (int) next;
        }
        return n;
      }
    };
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        written.add(b & 0xFF);
      }
    };
    terminal = TerminalBuilder.builder().system(false).streams(in, out).type(type).build();
    return terminal;
  }

  @AfterEach
  void close() throws IOException {
    if (terminal != null) {
      terminal.close();
    }
  }

  /** Reads what the program wrote until {@code end} (or 5 s pass). */
  String readUntil(String end) throws InterruptedException {
    StringBuilder s = new StringBuilder();
    while (!s.toString().endsWith(end)) {
      Integer b = written.poll(5, TimeUnit.SECONDS);
      if (b == null) {
        break;
      }
      s.append((char) (int) b);
    }
    return s.toString();
  }

  void reply(String s) {
    for (byte b : s.getBytes(StandardCharsets.ISO_8859_1)) {
      typed.add(b & 0xFF);
    }
  }

  CompletableFuture<TerminalGraphics.Detection> detectAsync(Terminal t, Map<String, String> env) {
    return CompletableFuture.supplyAsync(() -> TerminalGraphics.detect(t, env));
  }

  @Test
  void sendsOneBatchOfQueriesAndTakesSixelAndTheCellSizeFromTheReplies() throws Exception {
    Terminal t = terminal("xterm-256color");
    var detection = detectAsync(t, Map.of("TERM", "xterm-256color"));

    String queries = readUntil("\033[c");
    assertThat(queries).isEqualTo("\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\\033[16t\033[c");
    reply("\033[6;18;9t\033[?62;4;22c"); // no answer to the kitty query: not kitty

    TerminalGraphics.Detection d = detection.get(5, TimeUnit.SECONDS);
    assertThat(d.protocol()).isEqualTo(GraphicsProtocol.SIXEL);
    assertThat(d.geometry().cellWidth()).isEqualTo(9);
    assertThat(d.geometry().cellHeight()).isEqualTo(18);
    assertThat(d.tmux()).isFalse();
  }

  @Test
  void aKittyOkMeansKittyAndTheAnswerIsCachedForTheTerminal() throws Exception {
    Terminal t = terminal("xterm-256color");
    var detection = detectAsync(t, Map.of());

    readUntil("\033[c");
    reply("\033_Gi=31;OK\033\\\033[6;20;10t\033[?62;c");
    assertThat(detection.get(5, TimeUnit.SECONDS).protocol()).isEqualTo(GraphicsProtocol.KITTY);

    TerminalGraphics.Detection again = TerminalGraphics.detect(t, Map.of());
    assertThat(again.protocol()).isEqualTo(GraphicsProtocol.KITTY);
    assertThat(again.geometry().cellHeight()).isEqualTo(20);
    assertThat(written).as("no second query").isEmpty();
  }

  @Test
  void aTerminalWithoutGraphicsGetsHalfBlocksAndItsModesBack() throws Exception {
    Terminal t = terminal("xterm-256color");
    Attributes before = new Attributes(t.getAttributes());
    var detection = detectAsync(t, Map.of("TERM", "xterm-256color", "COLORTERM", "truecolor"));

    readUntil("\033[c");
    reply("\033[?1;2c");

    TerminalGraphics.Detection d = detection.get(5, TimeUnit.SECONDS);
    assertThat(d.protocol()).isEqualTo(GraphicsProtocol.BLOCKS);
    assertThat(d.geometry()).isEqualTo(TerminalGeometry.DEFAULT); // size unknown over pipes, no cell size reply
    assertThat(t.getAttributes().getLocalFlags()).isEqualTo(before.getLocalFlags());
    assertThat(t.getAttributes().getInputFlags()).isEqualTo(before.getInputFlags());
  }

  @Test
  void aSilentTerminalCostsAtMostTheTimeLimit() throws Exception {
    Terminal t = terminal("xterm-256color");
    long start = System.nanoTime();

    // On its own thread with a bounded wait, so a probe that blocked would fail here, not hang the run.
    TerminalGraphics.Detection d = detectAsync(t, Map.of("TERM", "xterm-256color")).get(30, TimeUnit.SECONDS);

    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(d.protocol()).isEqualTo(GraphicsProtocol.BLOCKS);
    assertThat(millis).as("it waited for replies before giving up").isGreaterThanOrEqualTo(250L);
  }

  @Test
  void aTerminalWhoseReadsIgnoreTheirTimeoutIsGivenUpAfterTheTimeLimit() throws Exception {
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
    NonBlockingReader never = new NonBlockingReader() {
      @Override
      protected int read(long timeout, boolean isPeek) throws IOException {
        reading.countDown();
        try {
          Thread.sleep(Long.MAX_VALUE); // a read that never returns, whatever its timeout
        } catch (InterruptedException e) {
          throw new InterruptedIOException("given up");
        }
        return EOF;
      }

      @Override
      public int readBuffered(char[] b, int off, int len, long timeout) throws IOException {
        return read(timeout, false);
      }
    };
    Attributes[] restored = {null};
    Attributes raw = new Attributes();
    Terminal stuck = (Terminal) java.lang.reflect.Proxy.newProxyInstance(Terminal.class.getClassLoader(),
        new Class<?>[] {Terminal.class}, (proxy, method, args) -> switch (method.getName()) {
          case "reader" -> never;
          case "writer" -> new java.io.PrintWriter(java.io.OutputStream.nullOutputStream());
          case "enterRawMode" -> raw;
          case "setAttributes" -> {
            restored[0] = (Attributes) args[0];
            yield null;
          }
          case "getType" -> "xterm-256color";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "a terminal that never answers";
          default -> null;
        });

    var replies = CompletableFuture.supplyAsync(() -> TerminalProbe.query(stuck, false, 300));

    assertThat(replies.get(30, TimeUnit.SECONDS).deviceAttributes()).isFalse();
    assertThat(reading.await(0, TimeUnit.SECONDS)).as("the probe did read").isTrue();
    assertThat(restored[0]).as("the modes from before the probe are back").isSameAs(raw);
  }

  @Test
  void whenTheEnvironmentKnowsTheProtocolTheQueryStillLearnsTheCellSize() throws Exception {
    Terminal t = terminal("xterm-256color");
    var detection = detectAsync(t, Map.of("TERM", "xterm-256color", "TERM_PROGRAM", "WezTerm"));

    readUntil("\033[c");
    reply("\033[6;16;8t\033[?65;4;6;18;22c"); // WezTerm also does sixel: the environment wins

    TerminalGraphics.Detection d = detection.get(5, TimeUnit.SECONDS);
    assertThat(d.protocol()).isEqualTo(GraphicsProtocol.ITERM);
    assertThat(d.geometry().cellWidth()).isEqualTo(8);
  }

  @Test
  void insideTmuxTheKittyQueryIsWrappedAndTmuxIsReported() throws Exception {
    Terminal t = terminal("tmux-256color");
    var detection = detectAsync(t, Map.of("TERM", "tmux-256color", "TMUX", "/tmp/tmux-1000/default,42,0"));

    String queries = readUntil("\033[c");
    assertThat(queries).isEqualTo(TerminalProbe.queries(true))
        .startsWith("\033Ptmux;\033\033_Gi=31,").endsWith("\033\033\\\033\\\033[16t\033[c");
    reply("\033_Gi=31;OK\033\\\033[?1;2c");

    TerminalGraphics.Detection d = detection.get(5, TimeUnit.SECONDS);
    assertThat(d.protocol()).isEqualTo(GraphicsProtocol.KITTY);
    assertThat(d.tmux()).isTrue();
  }

  @Test
  void aDumbTerminalIsNeverQueried() throws Exception {
    Terminal t = terminal("dumb");

    TerminalGraphics.Detection d = TerminalGraphics.detect(t, Map.of("TERM", "xterm-256color"));

    assertThat(d.protocol()).isEqualTo(GraphicsProtocol.NONE);
    Thread.sleep(50);
    assertThat(written).isEmpty();
  }

  @Test
  void imagesSwitchedOffMeansNoQuery() throws Exception {
    Terminal t = terminal("xterm-256color");

    TerminalGraphics.Detection d = TerminalGraphics.detect(t, Map.of("IMAGINE_IMAGES", "none"));

    assertThat(d.protocol()).isEqualTo(GraphicsProtocol.NONE);
    assertThat(written).isEmpty();
  }
}
