package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageGeneration;
import dev.imagine.ImageResult;
import dev.imagine.Images;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jline.reader.Candidate;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Completion, documentation, highlighting and the history filter, on a real JShell. */
class LineEditingTest {
  static Evaluator evaluator;

  @BeforeAll
  static void start() {
    evaluator = new Evaluator();
  }

  @AfterAll
  static void stop() {
    evaluator.close();
  }

  List<String> complete(String before) {
    return new ReplCompleter(evaluator, ReplCommands.TABLE, null).candidates(before, before.length()).stream()
        .map(Candidate::value).toList();
  }

  @Test
  void dslMethodsComplete() {
    assertThat(complete("images().pro")).containsExactly("prompt(");
    assertThat(complete("images().prompt(\"x\").gen")).contains("generate(", "generateAsync()", "generateStage()");
  }

  @Test
  void completionWorksInTheLastSnippetOfALine() {
    assertThat(complete("int a = 1; images().qua")).containsExactly("quality(");
  }

  @Test
  void knownValuesCompleteInsideStringArguments() {
    assertThat(complete("images().size(\"")).contains("1024x1024\"", "1536x1024\"", "1024x1536\"", "auto\"");
    assertThat(complete("images().size(\"15")).containsExactly("1536x1024\"");
    assertThat(complete("images().model(\"gpt-image-1")).contains("gpt-image-1\"", "gpt-image-1.5\"", "gpt-image-1-mini\"");
    assertThat(complete("images().quality(\"h")).containsExactly("high\"", "hd\"");
    assertThat(complete("String s = \"1")).isEmpty(); // any other string: nothing to offer
  }

  @Test
  void commandsComplete() {
    assertThat(complete("/im")).containsExactly("/images", "/imports");
    assertThat(complete("/backend l")).containsExactly("local");
    assertThat(complete("  /backend ")).containsExactly("local", "remote");
    assertThat(complete("// a comment /im")).doesNotContain("/images", "/imports");
  }

  @Test
  void unfinishedInputIsRecognised() {
    assertThat(evaluator.isIncomplete("void f() {")).isTrue();
    assertThat(evaluator.isIncomplete("images().prompt(\"x\")\n  .size(")).isTrue();
    assertThat(evaluator.isIncomplete("int a = 1; int b = 2")).isFalse();
    assertThat(evaluator.isIncomplete("a +")).isTrue();
  }

  @Test
  void docsExplainTheMethodAtTheCursor() {
    List<String> doc = new Docs(evaluator).lookup("images().quality", "images().quality".length());
    assertThat(doc).anyMatch(l -> l.contains("quality(String quality)"))
        .anyMatch(l -> l.contains("\"hd\" (dall-e-3)"));
  }

  @Test
  void docsIndexCoversEveryPublicMethodOfTheDsl() {
    Docs docs = new Docs(evaluator);
    Stream.of(Images.class, ImageGeneration.class, ImageResult.class, GeneratedImage.class)
        .flatMap(c -> Arrays.stream(c.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
            .filter(m -> !List.of("toString", "equals", "hashCode").contains(m.getName()))
            .map(m -> c.getSimpleName() + "." + m.getName()))
        .distinct()
        .forEach(key -> assertThat(docs.keys()).as("docs.properties documents " + key).contains(key));
  }

  @Test
  void highlighterColoursKeywordsStringsNumbersAndComments() {
    var s = JavaHighlighter.highlight("var r = \"fox\"; int n = 42; // note");
    assertThat(s.toString()).isEqualTo("var r = \"fox\"; int n = 42; // note");
    assertThat(s.styleAt(0)).isEqualTo(JavaHighlighter.KEYWORD);
    assertThat(s.styleAt(9)).isEqualTo(JavaHighlighter.STRING);
    assertThat(s.styleAt(24)).isEqualTo(JavaHighlighter.NUMBER);
    assertThat(s.styleAt(30)).isEqualTo(JavaHighlighter.COMMENT);
    assertThat(s.styleAt(4)).isEqualTo(AttributedStyle.DEFAULT);
    assertThat(JavaHighlighter.highlight("/images").styleAt(0)).isEqualTo(JavaHighlighter.COMMAND);
  }

  @Test
  void secretsAreRecognised() {
    assertThat(Secrets.containsSecret("var c = ImagesClient.builder().apiKey(k).build()")).isTrue();
    assertThat(Secrets.containsSecret("String k = \"sk-proj-abc123def456\"")).isTrue();
    assertThat(Secrets.containsSecret("System.setProperty(\"openai.apiKey\", k)")).isTrue();
    assertThat(Secrets.containsSecret("images().header(\"Authorization\", \"Bearer x\")")).isTrue();
    assertThat(Secrets.containsSecret("images().prompt(\"a fox\").generate()")).isFalse();
    assertThat(Secrets.containsSecret("r.usage().totalTokens()")).isFalse();
    assertThat(Secrets.containsSecret("String task = \"sketch\"")).isFalse();
  }
}
