package dev.imagine.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * curl's rate against the same server, as the ceiling no Java client reaches: {@code curl --parallel}
 * with {@code concurrency} transfers at once, bodies thrown away undecoded. Its CPU time comes from
 * bash's {@code time}.
 */
final class Curl {
  private Curl() {}

  static Map<String, Double> run(String baseUrl, int concurrency, int requests, int n, Path logs) throws Exception {
    Path config = logs.resolve("curl-urls.txt");
    Path body = logs.resolve("curl-body.json");
    Files.writeString(body, "{\"prompt\":\"" + Clients.PROMPT + "\",\"model\":\"gpt-image-1\",\"size\":\"1024x1024\",\"n\":" + n + "}");
    StringBuilder urls = new StringBuilder();
    for (int i = 0; i < requests; i++) {
      urls.append("url = \"").append(baseUrl).append("/images/generations\"\noutput = \"/dev/null\"\n");
    }
    Files.writeString(config, urls);
    String curl = "curl --parallel --parallel-immediate --parallel-max " + concurrency + " -s -H 'Content-Type: application/json'"
        + " --data-binary @" + body + " -w '%{http_code}\\n' -K " + config;
    System.err.printf("[%s] %-10s %-16s ... ", java.time.LocalTime.now().withNano(0), "inflight", "curl");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%U %S'; time " + curl).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    long wall = System.nanoTime() - t0;
    List<String> codes = out.lines().toList();
    long ok = codes.stream().filter("200"::equals).count();
    String[] times = err.substring(err.lastIndexOf('\n') + 1).trim().split("\\s+");
    double cpuSec = Double.parseDouble(times[0]) + Double.parseDouble(times[1]);
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("requests", (double) requests);
    v.put("images", (double) ok * n);
    v.put("errors", (double) (requests - ok));
    v.put("wallMs", wall / 1e6);
    v.put("imagesPerSec", ok * n / (wall / 1e9));
    v.put("cpuMs", cpuSec * 1000);
    v.put("peakThreads", 1.0);
    System.err.printf("%.1f images/s, %d errors, CPU %.1f s%n", v.get("imagesPerSec"), requests - ok, cpuSec);
    return v;
  }
}
