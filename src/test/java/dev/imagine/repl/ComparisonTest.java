package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.ImageRequest;
import org.junit.jupiter.api.Test;

/** How {@code /compare}'s arguments become a matrix of requests, and what it refuses before sending. */
class ComparisonTest {
  @Test
  void theFirstVaryingOptionIsTheColumnsTheSecondTheRowsFillFillsThePlaceholder() {
    Comparison c = Comparison.parse("prompt=\"a {} fox\" fill=red,arctic quality=low,high n=2 model=gpt-image-1");
    assertThat(c.requests).extracting(ImageRequest::prompt, ImageRequest::quality)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a red fox", "low"),
            org.assertj.core.groups.Tuple.tuple("a arctic fox", "low"),
            org.assertj.core.groups.Tuple.tuple("a red fox", "high"),
            org.assertj.core.groups.Tuple.tuple("a arctic fox", "high"));
    assertThat(c.requests).allSatisfy(r -> assertThat(r.model()).isEqualTo("gpt-image-1"));
    assertThat(c.images()).isEqualTo(8);
    assertThat(c.shape()).isEqualTo("8 images (2 fill × 2 quality)");
    assertThat(c.cellLabel(3)).isEqualTo("fill=arctic quality=high");
  }

  @Test
  void badMatricesAreRefusedSayingWhatToDo() {
    assertThatThrownBy(() -> Comparison.parse("size=1024x1024,1536x1024")).hasMessageContaining("needs a prompt");
    assertThatThrownBy(() -> Comparison.parse("prompt=fox size=1024x1024")).hasMessageContaining("nothing to compare");
    assertThatThrownBy(() -> Comparison.parse("prompt=fox size=a,b quality=low,high model=x,y"))
        .hasMessageContaining("at most two options vary");
    assertThatThrownBy(() -> Comparison.parse("prompt=\"a {} fox\" size=1024x1024,1536x1024"))
        .hasMessageContaining("no fill=a,b");
    assertThatThrownBy(() -> Comparison.parse("prompt=fox fill=red,blue")).hasMessageContaining("needs a {}");
    assertThatThrownBy(() -> Comparison.parse("prompt=fox colour=red,blue")).hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(() -> Comparison.parse("prompt=fox n=two,three")).hasMessageContaining("whole number");
  }
}
