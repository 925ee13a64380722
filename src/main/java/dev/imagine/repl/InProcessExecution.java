package dev.imagine.repl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs snippets inside this JVM (so they share the REPL's static state: the default client and
 * its listeners) on a thread of their own that Ctrl-C can interrupt. JShell hands a front end only
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

  /** The execution control: one snippet at a time, each on a fresh daemon thread. */
  static final class Control extends DirectExecutionControl {
    static final String KEY_PREFIX = "imagine-value#";
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile Thread running;
    private volatile CompletableFuture<Object> outcome;
    private volatile boolean stopped;
    private volatile Throwable thrown;

    @Override
    protected String invoke(Method doit) throws Exception {
      CompletableFuture<Object> result = new CompletableFuture<>();
      stopped = false;
      Thread thread = new Thread(() -> {
        try {
          result.complete(doit.invoke(null));
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      }, "imagine-snippet");
      thread.setDaemon(true);
      thread.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
      outcome = result;
      running = thread;
      thread.start();
      try {
        Object value = result.get();
        String key = KEY_PREFIX + keys.incrementAndGet();
        if (value != null) {
          values.put(key, value);
        }
        return key;
      } catch (ExecutionException e) {
        if (stopped) {
          throw new StoppedException();
        }
        Throwable cause = e.getCause();
        if (cause instanceof InvocationTargetException ite) {
          throw ite; // DirectExecutionControl turns it into a UserException; we keep the original too
        }
        throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
      } finally {
        running = null;
        outcome = null;
      }
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause) throws RunException, InternalException {
      thrown = cause;
      return super.throwConvertedInvocationException(cause);
    }

    /**
     * Interrupts the running snippet (a blocking {@code generate()} then aborts its HTTP request)
     * and returns control to JShell at once. A snippet that ignores the interrupt is stopped hard
     * after a grace period where the JVM still allows it.
     */
    @Override
    public void stop() {
      Thread thread = running;
      CompletableFuture<Object> result = outcome;
      if (thread == null || result == null) {
        return;
      }
      stopped = true;
      thread.interrupt();
      result.completeExceptionally(new InterruptedException("stopped"));
      Thread reaper = new Thread(() -> {
        try {
          thread.join(2000);
          if (thread.isAlive()) {
            hardStop(thread);
          }
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "imagine-snippet-reaper");
      reaper.setDaemon(true);
      reaper.start();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void hardStop(Thread thread) {
      try {
        thread.stop(); // Java 17 still honours it; later JVMs throw, and the daemon thread is left behind
      } catch (UnsupportedOperationException ignored) {
        // nothing more can be done
      }
    }

    /** Whether the snippet that last ran was stopped; resets. */
    boolean takeStopped() {
      boolean s = stopped;
      stopped = false;
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
