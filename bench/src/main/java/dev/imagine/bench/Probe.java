package dev.imagine.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Watches this JVM while a scenario runs: the largest heap used (sampled every 5 ms), the largest
 * heap still used after a collection (from GC notifications: the live set), the thread count peak
 * ({@link ThreadMXBean#getPeakThreadCount()}), peak resident memory ({@code VmHWM} in
 * {@code /proc/self/status}) and process CPU time.
 */
final class Probe implements AutoCloseable {
  private final AtomicLong maxUsed = new AtomicLong();
  private final AtomicLong maxUsedAfterGc = new AtomicLong();
  private final AtomicLong gcCount = new AtomicLong();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Thread sampler;
  private volatile boolean running = true;

  Probe() {
    threads.resetPeakThreadCount();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((n, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
          }
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long after = heapOf(info.getGcInfo().getMemoryUsageAfterGc());
          long before = heapOf(info.getGcInfo().getMemoryUsageBeforeGc());
          maxUsedAfterGc.accumulateAndGet(after, Math::max);
          maxUsed.accumulateAndGet(before, Math::max);
          gcCount.incrementAndGet();
        }, null, null);
      }
    }
    sampler = new Thread(() -> {
      var memory = ManagementFactory.getMemoryMXBean();
      while (running) {
        maxUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "probe-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private static long heapOf(Map<String, MemoryUsage> pools) {
    long sum = 0;
    for (var e : pools.entrySet()) {
      String name = e.getKey();
      // heap pools of G1, Serial and Parallel; not Metaspace, code cache, compressed class space
      if (name.contains("Eden") || name.contains("Survivor") || name.contains("Old") || name.contains("Tenured")) {
        sum += e.getValue().getUsed();
      }
    }
    return sum;
  }

  long maxUsed() {
    return maxUsed.get();
  }

  /** The largest heap left after any collection; 0 when no collection ran. */
  long maxUsedAfterGc() {
    return maxUsedAfterGc.get();
  }

  long gcCount() {
    return gcCount.get();
  }

  /** Peak threads, counting the probe's own sampler (one thread). */
  int peakThreads() {
    return threads.getPeakThreadCount();
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Peak resident set size in bytes, or -1 when /proc is not there. */
  static long peakRss() {
    return procStatus("VmHWM:");
  }

  /** Physical memory in bytes, from /proc/meminfo, or -1. */
  static long memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.substring(9).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  static long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
