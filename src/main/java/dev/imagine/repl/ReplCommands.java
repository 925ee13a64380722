package dev.imagine.repl;

import dev.imagine.repl.commands.Command;
import dev.imagine.repl.commands.Command.Completion;
import dev.imagine.repl.commands.CommandTable;
import java.util.List;

/**
 * The REPL's commands: one entry each (name, arguments, help, completion, action). The help
 * text, "did you mean", Tab completion and dispatch all read this table.
 */
final class ReplCommands {
  private ReplCommands() {}

  static final CommandTable<Repl> TABLE = CommandTable.of(List.of(
      Command.<Repl>of("/help", "", "this text", (repl, a) -> repl.help()).aliases("/?"),
      Command.<Repl>of("/backend", "[local | remote [url]]", "which server; switches to the local or a remote one",
          Repl::backend).completing(Completion.words("local", "remote")),
      Command.<Repl>of("/config", "[confirm-above $0.50 | output FOLDER]",
          "base URL, key set or not, image protocol, output folder; confirm-above sets when /compare asks first,"
              + " output where images are saved from now on",
          Repl::config).completing(Completion.words("confirm-above", "output")),
      Command.<Repl>of("/images", "", "images made this session, and where each is saved", (repl, a) -> repl.images()),
      Command.<Repl>of("/save", "N path", "copies image N to path (a file or a folder), also one kept in memory when"
          + " auto-save failed; never overwrites", Repl::save),
      Command.<Repl>of("/open", "N", "opens image N in the system viewer", Repl::open),
      Command.<Repl>of("/history", "[words] [--today] [--model M]",
          "past generations of every session, newest first; words search the prompts", Repl::history)
          .completing(Completion.words("--today", "--model")),
      Command.<Repl>of("/show", "N", "draws generation #N of the history again", Repl::showPast)
          .completing((repl, before) -> before.contains(" ") ? List.of() : repl.recentNumbers()),
      Command.<Repl>of("/rerun", "N [name=value ...]",
          "sends #N again with changes: size=1536x1024 quality=high n=2 model=... prompt=\"...\"", Repl::rerun)
          .completing(ReplCommands::rerunArguments),
      Command.<Repl>of("/cost", "", "this session's and today's generations and estimated cost, by model",
          (repl, a) -> repl.cost()),
      Command.<Repl>of("/compare", "prompt=\"...\" name=a,b [name=c,d] [name=value ...] [--yes]",
          "one prompt across the values of one or two options, as a labelled contact sheet (fill=a,b fills {})",
          Repl::compare).completing(Completion.words("prompt=", "fill=", "size=", "quality=", "model=", "n=", "--yes")),
      Command.<Repl>of("/load", "path", "the request inside an image imagine saved, as the variable loaded", Repl::load)
          .completing((repl, before) -> FileCompletion.images(before)),
      Command.<Repl>of("/export", "FILE.ipynb|.jsh|.html [--replace]",
          "the session so far as a notebook, a script to replay or an HTML gallery (never with keys)", Repl::export)
          .completing(Completion.words("session.ipynb", "session.jsh", "session.html", "--replace")),
      Command.<Repl>of("/doc", "code", "documentation, e.g. /doc images().size  (or Alt-D while typing)", Repl::doc),
      Command.<Repl>of("/trace", "", "stack trace of the last exception", (repl, a) -> repl.trace()),
      Command.<Repl>of("/vars", "", "declared variables", (repl, a) -> repl.vars()),
      Command.<Repl>of("/imports", "", "imports", (repl, a) -> repl.imports()),
      Command.<Repl>of("/exit", "", "leave (or Ctrl-D)", (repl, a) -> { }).aliases("/quit").endingTheSession()));

  /** After {@code /rerun}: a recent number, then the fields a change may name. */
  private static List<String> rerunArguments(Repl repl, String before) {
    if (!before.contains(" ")) {
      return repl == null ? List.of() : repl.recentNumbers();
    }
    return List.of("size=", "quality=", "n=", "model=", "prompt=", "style=", "background=", "output_format=",
        "moderation=");
  }
}
