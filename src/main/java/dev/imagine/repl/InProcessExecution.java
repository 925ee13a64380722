package dev.imagine.repl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import dev.imagine.internal.snippets.SnippetStop;
import dev.imagine.internal.snippets.StopCheckWeaver;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs snippets inside this JVM (so they share the REPL's static state: the default client and
 * its listeners) on a thread of their own that Ctrl-C can stop, also in a busy loop. JShell hands a front end only
 * strings; this control keeps each result object under a key, returned in place of the value
 * string, so the REPL can draw the real {@code ImageResult}. The same trick as the JJava kernel's
 * execution control.
 */
final class InProcessExecution implements ExecutionControlProvider {
  private final Control control = new Control();

  Control control() {
    return control;
  }

  @Override
  public String name() {
    return "imagine-in-process";
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    return control;
  }

  /** How a snippet stopped by Ctrl-C ended. */
  enum Stop {
    /** It ended on the interrupt (a blocking call such as {@code generate()} aborted). */
    INTERRUPTED,
    /** It ignored the interrupt and was stopped at its next loop or call by the woven stop check. */
    FORCED,
    /** It is still running in library code, where no stop check is woven; it stops when it comes back to snippet code. */
    STILL_RUNNING
  }

  /**
   * The execution control: one snippet at a time, each on a fresh daemon thread of one thread
   * group. Each snippet class gets a stop check woven in ({@link StopCheckWeaver}), which is how a
   * busy loop is stopped on every JDK.
   */
  static final class Control extends DirectExecutionControl {
    static final String KEY_PREFIX = "imagine-value#";
    /** How long Ctrl-C waits for the snippet to end before telling the REPL it goes on in the background. */
    static final long STOP_WAIT_MILLIS = 2000;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile ThreadGroup snippets = new ThreadGroup("imagine-snippets");
    private volatile Thread running;
    private volatile CompletableFuture<Object> stopRequest;
    private volatile Stop stopped;
    /** Ctrl-C for the input being evaluated: also stops its snippets that had not started yet. */
    private volatile boolean stopPending;
    private volatile Throwable thrown;

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException, EngineTerminationException {
      ClassBytecodes[] woven = new ClassBytecodes[classes.length];
      for (int i = 0; i < classes.length; i++) {
        woven[i] = new ClassBytecodes(classes[i].name(), StopCheckWeaver.weave(classes[i].bytecodes()));
      }
      super.load(woven);
    }

    @Override
    protected String invoke(Method doit) throws Exception {
      CompletableFuture<Object> result = new CompletableFuture<>();
      CompletableFuture<Object> stopping = new CompletableFuture<>();
      stopped = null;
      SnippetStop.clear(snippets);
      Thread thread = new Thread(snippets, () -> {
        try {
          result.complete(doit.invoke(null));
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      }, "imagine-snippet");
      thread.setDaemon(true);
      thread.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
      stopRequest = stopping;
      running = thread;
      if (stopPending) {
        running = null;
        stopRequest = null;
        stopped = Stop.INTERRUPTED;
        throw new StoppedException();
      }
      thread.start();
      try {
        try {
          CompletableFuture.anyOf(result, stopping).get();
        } catch (ExecutionException e) {
          if (!stopping.isDone()) {
            throw e;
          } // else the stop check's throw won the race with the stop signal: still a stop
        }
        if (stopping.isDone()) {
          stopped = howItEnded(result);
          if (stopped == Stop.STILL_RUNNING) {
            snippets = new ThreadGroup("imagine-snippets"); // the next snippets run; the stuck one stays stopped
          }
          throw new StoppedException();
        }
        Object value = result.get();
        String key = KEY_PREFIX + keys.incrementAndGet();
        if (value != null) {
          values.put(key, value);
        }
        return key;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InvocationTargetException ite) {
          throw ite; // DirectExecutionControl turns it into a UserException; we keep the original too
        }
        throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
      } finally {
        running = null;
        stopRequest = null;
      }
    }

    private static Stop howItEnded(CompletableFuture<Object> result) throws InterruptedException {
      try {
        result.get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        return Stop.INTERRUPTED;
      } catch (TimeoutException e) {
        return Stop.STILL_RUNNING;
      } catch (ExecutionException e) {
        Throwable t = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
        return t instanceof SnippetStop.Stopped ? Stop.FORCED : Stop.INTERRUPTED;
      }
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause) throws RunException, InternalException {
      thrown = cause;
      return super.throwConvertedInvocationException(cause);
    }

    /**
     * Stops the running snippet: interrupts it (a blocking {@code generate()} then aborts its HTTP
     * request) and at once makes the woven stop check throw in it and in the threads it started,
     * so a loop that ignores the interrupt ends at its next iteration. JShell gets control back
     * as soon as the snippet ended, or after {@link #STOP_WAIT_MILLIS} if it is stuck in library code.
     */
    @Override
    public void stop() {
      stopPending = true;
      Thread thread = running;
      CompletableFuture<Object> stopping = stopRequest;
      if (thread == null || stopping == null) {
        return;
      }
      stopping.complete(null); // first, so that invoke() sees a stop and not the exception it causes
      SnippetStop.request(snippets);
      thread.interrupt();
    }

    /** Forgets a Ctrl-C: a new input is about to be evaluated. */
    void resetStop() {
      stopPending = false;
    }

    /** Whether Ctrl-C was pressed since {@link #resetStop()}. */
    boolean stopPending() {
      return stopPending;
    }

    /** How the snippet that last ran was stopped, or null if it was not; resets. */
    Stop takeStopped() {
      Stop s = stopped;
      stopped = null;
      return s;
    }

    /** The exception the last snippet threw, as it was thrown; resets. */
    Throwable takeThrown() {
      Throwable t = thrown;
      thrown = null;
      return t;
    }

    /** The object behind a value string this control returned; {@code null} for none. */
    Object take(String key) {
      return key == null ? null : values.remove(key);
    }

    boolean isKey(String value) {
      return value != null && value.startsWith(KEY_PREFIX);
    }

    void clearValues() {
      values.clear();
    }

    /** JShell's own rendering of a value: strings quoted and escaped, arrays listed. */
    static String format(Object value) {
      return valueString(value);
    }
  }
}
