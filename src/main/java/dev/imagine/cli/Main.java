package dev.imagine.cli;

import dev.imagine.repl.Repl;
import dev.imagine.repl.StartupFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code imagine} command: the REPL, scripts, and the local backend.
 *
 * <pre>
 * imagine                    the REPL
 * imagine run script.jsh     runs a script (also: imagine script.jsh)
 * imagine export-notebook script.jsh out.ipynb   runs a script and saves it as a Jupyter notebook
 * imagine serve [--port N]   the local backend alone (imagine serve --help)
 * imagine batch PROMPTS --out DIR   many images, resumable (imagine batch --help)
 * imagine --startup-file     writes the jshell startup file and prints its path
 * imagine --help | --version
 * </pre>
 */
public final class Main {
  static final String USAGE = """
      usage: imagine                      start the REPL (no OPENAI_API_KEY: offline local backend)
             imagine run SCRIPT.jsh       run a script; exit code 1 on the first error
             imagine export-notebook SCRIPT.jsh OUT.ipynb [--replace]  run a script, save it as a notebook
             imagine serve [options]      run the local backend (imagine serve --help)
             imagine batch PROMPTS --out DIR [options]  many images, resumable (imagine batch --help)
             imagine --startup-file       write the startup file for plain jshell, print its path
             imagine --help | --version
      environment: OPENAI_API_KEY, OPENAI_BASE_URL, IMAGINE_IMAGES (kitty|iterm|sixel|blocks|none),
                   IMAGINE_OUTPUT (default imagine-output), XDG_CONFIG_HOME (history)
      """;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.exit(code);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      if (args.length == 0) {
        return Repl.interactive();
      }
      String first = args[0];
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      switch (first) {
        case "--help", "-h", "help" -> {
          out.print(USAGE);
          return 0;
        }
        case "--version", "-V", "version" -> {
          out.println("imagine " + StartupFile.version());
          return 0;
        }
        case "--startup-file" -> {
          out.println(StartupFile.write(rest.length > 0 ? Path.of(rest[0]) : null));
          return 0;
        }
        case "serve" -> {
          return ServeCommand.run(rest, out, err);
        }
        case "batch" -> {
          return BatchCommand.run(rest, out, err, System.getenv());
        }
        case "export-notebook" -> {
          List<String> words = new ArrayList<>(Arrays.asList(rest));
          boolean replace = words.remove("--replace");
          if (words.size() != 2 || !words.get(1).endsWith(".ipynb")) {
            err.println("usage: imagine export-notebook SCRIPT.jsh OUT.ipynb [--replace]");
            return 2;
          }
          return Repl.exportNotebook(Path.of(words.get(0)), Path.of(words.get(1)), replace, out, err);
        }
        case "run" -> {
          if (rest.length != 1) {
            err.println("usage: imagine run SCRIPT.jsh");
            return 2;
          }
          return Repl.runScript(Path.of(rest[0]), out, err);
        }
        default -> {
          if (first.endsWith(".jsh") && rest.length == 0) {
            return Repl.runScript(Path.of(first), out, err);
          }
          err.println("imagine: unknown argument " + first);
          err.print(USAGE);
          return 2;
        }
      }
    } catch (IOException e) {
      err.println("imagine: " + e.getMessage());
      return 1;
    }
  }
}
