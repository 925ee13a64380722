package dev.imagine.internal.snippets;

/**
 * The stop check woven into every REPL snippet (see {@link StopCheckWeaver}): called at each
 * method start and before each backward jump, it throws {@link Stopped} while a stop is requested
 * for the calling thread's group. Costs one volatile read when no stop is requested.
 *
 * <p>Public only because the snippets' own class loader must be able to call it.
 */
public final class SnippetStop {
  private static volatile ThreadGroup stopping;

  private SnippetStop() {}

  /** Thrown out of a snippet that ignored the interrupt; an Error so that {@code catch (Exception e)} lets it pass. */
  public static final class Stopped extends Error {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped: the snippet ignored the interrupt, so it was stopped at a loop", null, false, false);
    }
  }

  /** The woven call. */
  public static void check() {
    ThreadGroup group = stopping;
    if (group != null && inGroup(Thread.currentThread(), group)) {
      throw new Stopped();
    }
  }

  /**
   * Stops the snippet code running in threads of {@code group} (the snippet's and those it started)
   * at its next loop or call, until {@link #clear()}. Vert.x threads (made in a snippet's group when
   * a snippet builds a client) are spared: throwing in them would break the client, not the snippet.
   */
  public static synchronized void request(ThreadGroup group) {
    stopping = group;
  }

  /** Lets snippet code of {@code group} run again (called before its next snippet starts); a stop of another group stays. */
  public static synchronized void clear(ThreadGroup group) {
    if (stopping == group) {
      stopping = null;
    }
  }

  private static boolean inGroup(Thread thread, ThreadGroup group) {
    if (thread instanceof io.netty.util.concurrent.FastThreadLocalThread) {
      return false;
    }
    for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
      if (g == group) {
        return true;
      }
    }
    return false;
  }
}
