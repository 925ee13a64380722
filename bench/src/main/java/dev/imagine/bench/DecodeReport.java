package dev.imagine.bench;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link DecodeBench} (JMH, a forked JVM) and writes its table. */
final class DecodeReport {
  private DecodeReport() {}

  static String run(BenchMain.Settings s, Path logs) throws Exception {
    System.err.println("[decode] JMH: DecodeBench ...");
    Options opts = new OptionsBuilder().include(DecodeBench.class.getName() + "\\.")
        .forks(1)
        .warmupIterations(s.quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(s.quick ? 1 : 5).measurementTime(TimeValue.seconds(1))
        .output(logs.resolve("decode-jmh.log").toString())
        .build();
    Map<String, double[]> out = new LinkedHashMap<>();
    for (RunResult r : new Runner(opts).run()) {
      String m = r.getParams().getBenchmark();
      String chunk = r.getParams().getParam("chunk");
      m = chunk == null ? m : m + "@" + chunk;
      var st = r.getPrimaryResult().getStatistics();
      out.put(m.substring(m.lastIndexOf('.') + 1), new double[] {st.getMean(), r.getPrimaryResult().getScoreError(), st.getMin(), st.getMax()});
    }
    double payloadMiB = Base64.getDecoder().decode(StandInBackend.png("1024x1024")).length / 1048576.0;
    StringBuilder md = new StringBuilder("## Where a response's CPU goes: body to image bytes\n\n");
    md.append("JMH (`dev.imagine.bench.DecodeBench`, one fork, ").append(s.quick ? "1+1" : "3+5")
        .append(" iterations of 1 s): one images body holding one 1024x1024 PNG (")
        .append(Report.f1(payloadMiB)).append(" MiB) as `b64_json`, turned into the image's bytes in memory, no network.\n\n")
        .append("| path | ms per body (± 99.9% error) | MiB/s of image |\n|---|---:|---:|\n");
    String[][] rows = {
        {"imagineExtractor@8192", "imagine: `ImagePayloadExtractor` fed 8 KiB chunks (slow network reads)"},
        {"imagineExtractor@65536", "imagine: `ImagePayloadExtractor` fed 64 KiB chunks (Vert.x's reads at full speed)"},
        {"stringJacksonBase64", "openai-java's way: body as a String, Jackson, then `Base64.getDecoder()`"},
        {"jdkDecoderAlone", "reference: `java.util.Base64` alone on the payload in one array (no JSON, no chunks)"},
    };
    for (String[] row : rows) {
      double[] v = out.get(row[0]);
      if (v != null) {
        md.append("| ").append(row[1]).append(" | ").append(Report.f2(v[0])).append(" ± ").append(Report.f2(v[1]))
            .append(" | ").append(Report.f0(payloadMiB / (v[0] / 1000))).append(" |\n");
      }
    }
    return md.append('\n').toString();
  }
}
