package dev.imagine.repl.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTableTest {
  final List<String> ran = new ArrayList<>();

  CommandTable<List<String>> table() {
    return CommandTable.of(List.of(
        Command.<List<String>>of("/history", "[words]", "past generations", (log, a) -> log.add("history " + a))
            .completing(Command.Completion.words("--today", "--model")),
        Command.<List<String>>of("/help", "", "this text", (log, a) -> log.add("help")).aliases("/?"),
        Command.<List<String>>of("/rerun", "N [name=value ...]", "again, changed", (log, a) -> log.add("rerun " + a))
            .completing((log, before) -> List.of("size=", "quality=", "n=")),
        Command.<List<String>>of("/images", "", "images", (log, a) -> log.add("images")),
        Command.<List<String>>of("/imports", "", "imports", (log, a) -> log.add("imports")),
        Command.<List<String>>of("/exit", "", "leave", (log, a) -> { }).endingTheSession()));
  }

  @Test
  void findsByNameAliasOrUnambiguousPrefix() {
    assertThat(table().find("/help").orElseThrow().name()).isEqualTo("/help");
    assertThat(table().find("/?").orElseThrow().name()).isEqualTo("/help");
    assertThat(table().find("/hist").orElseThrow().name()).isEqualTo("/history");
    assertThat(table().find("/im")).isEmpty(); // /images or /imports
    assertThat(table().find("/nothing")).isEmpty();
    assertThat(table().find("/exit").orElseThrow().endsSession()).isTrue();
  }

  @Test
  void didYouMeanUsesEditDistance() {
    assertThat(table().unknown("/imags")).isEqualTo("Unknown command /imags. Try /help. Did you mean /images?");
    assertThat(table().unknown("/frobnicate")).isEqualTo("Unknown command /frobnicate. Try /help.");
    assertThat(table().unknown("/hitsory")).endsWith("Did you mean /history?");
    assertThat(table().unknown("/im")).isEqualTo("Ambiguous command /im: /images, /imports.");
  }

  @Test
  void listingHasOneAlignedLinePerCommandWithItsAliases() {
    List<String> lines = table().listing("  ").lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(1)).startsWith("  /help (/?)").endsWith("this text");
    assertThat(lines.get(0).indexOf("past generations")).as("help starts in one column")
        .isEqualTo(lines.get(2).indexOf("again, changed")).isGreaterThan("  /rerun N [name=value ...]".length());
  }

  @Test
  void completesNamesThenEachCommandsOwnArguments() {
    var t = table();
    assertThat(t.candidates(ran, "/im", 3)).extracting(CommandTable.Candidate::value).containsExactly("/images", "/imports");
    assertThat(t.candidates(ran, "/history --m", 12)).containsExactly(new CommandTable.Candidate("--model", true));
    assertThat(t.candidates(ran, "/rerun 4 q", 10)).containsExactly(new CommandTable.Candidate("quality=", false));
    assertThat(t.candidates(ran, "/hist --", 8)).extracting(CommandTable.Candidate::value).containsExactly("--today", "--model");
    assertThat(t.candidates(ran, "int a = 1", 9)).isEmpty();
  }

  @Test
  void namesMustBeUniqueAndLookLikeCommands() {
    Command<Object> a = Command.of("/a", "", "a", (s, x) -> { });
    assertThatThrownBy(() -> CommandTable.of(List.of(a, Command.of("/b", "", "b", (s, x) -> { }).aliases("/a"))))
        .hasMessageContaining("two commands are named /a");
    assertThatThrownBy(() -> Command.of("help", "", "h", (s, x) -> { })).hasMessageContaining("/ and a word");
  }

  @Test
  void argumentsSplitKeepingQuotedSpaces() {
    Arguments a = Arguments.parse("42 size=1536x1024 prompt=\"a fox, \\\"red\\\" at dawn\" --model gpt-image-1");
    assertThat(a.words()).containsExactly("42", "size=1536x1024", "prompt=a fox, \"red\" at dawn", "--model", "gpt-image-1");
    assertThat(a.assignments()).containsEntry("size", "1536x1024").containsEntry("prompt", "a fox, \"red\" at dawn");
    assertThat(a.flags()).containsExactly("--model");
    assertThat(a.flagValue("--model")).contains("gpt-image-1");
    assertThatThrownBy(() -> Arguments.parse("x \"open")).hasMessageContaining("column 3").hasMessageContaining("never closed");
  }
}
