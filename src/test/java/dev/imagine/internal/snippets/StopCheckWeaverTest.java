package dev.imagine.internal.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Public, with a public nested class: the woven copy of it lives in another class loader. */
public class StopCheckWeaverTest {
  /** Ends the spinners this test leaves running in threads the stop check spares. */
  public static volatile boolean quit;

  /** A busy loop that ignores interrupts, as a snippet might be. */
  public static final class Spinner implements Runnable {
    public static volatile long spins;

    @Override
    public void run() {
      while (!quit) {
        spins++;
        if (Thread.interrupted()) {
          spins++; // and carry on regardless
        }
      }
    }
  }

  static Runnable wovenSpinner() throws Exception {
    String name = Spinner.class.getName();
    byte[] original;
    try (InputStream in = Spinner.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
      original = in.readAllBytes();
    }
    byte[] woven = StopCheckWeaver.weave(original);
    assertThat(woven).isNotEqualTo(original);
    ClassLoader loader = new ClassLoader(StopCheckWeaverTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
        if (n.equals(name)) {
          synchronized (getClassLoadingLock(n)) {
            Class<?> c = findLoadedClass(n);
            return c != null ? c : defineClass(n, woven, 0, woven.length);
          }
        }
        return super.loadClass(n, resolve);
      }
    };
    return (Runnable) loader.loadClass(name).getConstructor().newInstance();
  }

  static CompletableFuture<Throwable> start(Function<Runnable, Thread> threads, Runnable body) {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Thread t = threads.apply(() -> {
      try {
        body.run();
        ended.complete(null);
      } catch (Throwable e) {
        ended.complete(e);
      }
    });
    t.setDaemon(true);
    t.start();
    return ended;
  }

  @Test
  void aWovenLoopStopsInTheStoppedGroupOnlyAndRunsAgainAfterClear() throws Exception {
    ThreadGroup snippets = new ThreadGroup("snippets-under-test");
    ThreadGroup other = new ThreadGroup("others-under-test");
    Runnable spinner = wovenSpinner();
    CompletableFuture<Throwable> inGroup = start(r -> new Thread(snippets, r), spinner);
    CompletableFuture<Throwable> outside = start(r -> new Thread(other, r), spinner);
    CompletableFuture<Throwable> eventLoop = start(r -> new FastThreadLocalThread(snippets, r), spinner);
    try {
      Thread.sleep(100);
      assertThat(inGroup).isNotDone();
      SnippetStop.request(snippets);
      assertThat(inGroup.get(5, TimeUnit.SECONDS)).isInstanceOf(SnippetStop.Stopped.class)
          .hasMessageContaining("ignored the interrupt");
      Thread.sleep(100);
      assertThat(outside).as("a thread of another group runs on").isNotDone();
      assertThat(eventLoop).as("a Vert.x-style thread in the group runs on").isNotDone();
      SnippetStop.request(other);
      assertThat(outside.get(5, TimeUnit.SECONDS)).isInstanceOf(SnippetStop.Stopped.class);
    } finally {
      quit = true;
    }
    assertThat(eventLoop.get(5, TimeUnit.SECONDS)).as("ended by its own flag, not by the stop check").isNull();
    quit = false;
    SnippetStop.clear(other);
    SnippetStop.request(snippets);
    SnippetStop.clear(snippets);
    CompletableFuture<Throwable> again = start(r -> new Thread(snippets, r), spinner);
    Thread.sleep(100);
    assertThat(again).as("after clear the group's code runs again").isNotDone();
    SnippetStop.request(snippets);
    assertThat(again.get(5, TimeUnit.SECONDS)).isInstanceOf(SnippetStop.Stopped.class);
    SnippetStop.clear(snippets);
  }
}
