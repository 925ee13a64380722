package dev.imagine.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scenario 5: imagine's terminal encoders ({@link TerminalEncodeBench}, JMH in a forked JVM)
 * against {@code img2sixel} (libsixel) encoding the same PNG, timed as a process per image.
 */
final class TerminalBench {
  private TerminalBench() {}

  record Result(String markdown, Double sixelRatio) {}

  static Result run(BenchMain.Settings s, Path logs) throws Exception {
    try {
      Class.forName("dev.imagine.render.TerminalGraphics");
    } catch (ClassNotFoundException e) {
      return new Result("Not measured: the terminal encoders (`dev.imagine.render.TerminalGraphics`, branch `render`) "
          + "are not in this build.\n", null);
    }
    System.err.println("[terminal] JMH: TerminalEncodeBench (sixel, kitty, half blocks) ...");
    Options opts = new OptionsBuilder().include(TerminalEncodeBench.class.getName() + "\\.")
        .forks(1)
        .warmupIterations(s.quick ? 1 : 3).warmupTime(TimeValue.seconds(s.quick ? 1 : 2))
        .measurementIterations(s.quick ? 1 : 5).measurementTime(TimeValue.seconds(s.quick ? 1 : 2))
        .jvmArgs("-Xmx1g")
        .output(logs.resolve("terminal-jmh.log").toString())
        .build();
    Map<String, double[]> ours = new LinkedHashMap<>(); // "SIXEL fromPng" -> {score, error, min, max}
    for (RunResult r : new Runner(opts).run()) {
      String method = r.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      var stats = r.getPrimaryResult().getStatistics();
      ours.put(r.getParams().getParam("protocol") + " " + method,
          new double[] {stats.getMean(), r.getPrimaryResult().getScoreError(), stats.getMin(), stats.getMax()});
    }

    StringBuilder md = new StringBuilder();
    md.append("One 1024x1024 photo-like picture (hue fields, shapes, faint noise). imagine's encoders are measured with JMH\n")
        .append("(`dev.imagine.bench.TerminalEncodeBench`: ").append(s.quick ? "1+1" : "3+5").append(" iterations of ")
        .append(s.quick ? 1 : 2).append(" s, one fork; mean with its 99.9% error and the iteration range). Sixel and kitty keep ")
        .append("all 1024x1024 pixels (a 103x52 box of 10x20-pixel cells); half blocks fit a 200x100-cell box (200x200 pixels). ")
        .append("*from PNG* includes decoding the PNG with ImageIO.\n\n");
    md.append("| encoder | from decoded image, ms | from PNG bytes, ms |\n|---|---:|---:|\n");
    for (String p : List.of("SIXEL", "KITTY", "BLOCKS")) {
      md.append("| imagine ").append(p.equals("BLOCKS") ? "half blocks" : p.toLowerCase(Locale.ROOT)).append(" | ")
          .append(cell(ours.get(p + " fromImage"))).append(" | ").append(cell(ours.get(p + " fromPng"))).append(" |\n");
    }
    Double ratio = null;
    String img2sixel = which("img2sixel");
    if (img2sixel == null) {
      md.append("\nimg2sixel is not installed (Debian: `apt-get install libsixel-bin`; bench/run.sh installs it when it can): ")
          .append("the sixel reference was skipped.\n");
    } else {
      Path png = logs.resolve("terminal-1024.png");
      Files.write(png, TerminalEncodeBench.pngOf(TerminalEncodeBench.photo(1024, 1024)));
      Path tiny = logs.resolve("terminal-1.png");
      Files.write(tiny, TerminalEncodeBench.pngOf(TerminalEncodeBench.photo(1, 1)));
      int reps = s.quick ? 2 : 11;
      List<Double> full = new ArrayList<>();
      List<Double> startup = new ArrayList<>();
      for (int i = 0; i < reps + 1; i++) { // the first of each is a warm-up (page cache, dynamic loader)
        double a = timeProcess(img2sixel, png);
        double b = timeProcess(img2sixel, tiny);
        if (i > 0) {
          full.add(a);
          startup.add(b);
        }
      }
      Report.Stat f = Report.Stat.of(full);
      Report.Stat st = Report.Stat.of(startup);
      String version = Report.sh(img2sixel, "--version").lines().findFirst().orElse("img2sixel");
      md.append("| ").append(version).append(" (a process per image, PNG file in, `-o /dev/null`) | | ")
          .append(f.fmt(x -> Report.f1(x))).append(" |\n");
      md.append("| … of which process start and a 1x1 image | | ").append(st.fmt(x -> Report.f1(x))).append(" |\n");
      double[] sixel = ours.get("SIXEL fromPng");
      if (sixel != null) {
        ratio = sixel[0] / f.median();
        md.append("\nimagine's sixel from the PNG takes ").append(Report.f2(ratio))
            .append("x img2sixel's time (target: within 2x). img2sixel's figures are the median of ").append(reps)
            .append(" runs after a warm-up, with their range; they include starting the process, which the 1x1 row estimates. ")
            .append("img2sixel uses its defaults (256 colours, median-cut palette, error diffusion); imagine's sixel encoder ")
            .append("builds its own adaptive palette of at most 256 colours.\n");
      }
    }
    return new Result(md.toString(), ratio);
  }

  private static String cell(double[] v) {
    if (v == null) {
      return "–";
    }
    String err = Double.isNaN(v[1]) ? "" : " ± " + Report.f1(v[1]);
    return Report.f1(v[0]) + err + " (" + Report.f1(v[2]) + "–" + Report.f1(v[3]) + ")";
  }

  static String which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /** Wall milliseconds of one {@code img2sixel -o /dev/null file}. */
  static double timeProcess(String img2sixel, Path file) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(img2sixel, "-o", "/dev/null", file.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("img2sixel failed on " + file);
    }
    return (System.nanoTime() - t0) / 1e6;
  }
}
