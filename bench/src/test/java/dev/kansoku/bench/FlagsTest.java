package dev.kansoku.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Set<String> KNOWN = Set.of("rate", "duration", "header");

  @Test
  void bothForms_andRepeatable() {
    Flags f = Flags.parse(new String[] {"--rate", "1_000", "--duration=20s", "--header", "a=b", "--header=c=d"},
        KNOWN, Set.of("header"));
    assertThat(f.integer("rate", 0, 0)).isEqualTo(1000);
    assertThat(f.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofSeconds(20));
    assertThat(f.all("header")).isEqualTo(List.of("a=b", "c=d"));
  }

  @Test
  void durations() {
    assertThat(Flags.parseDuration("d", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Flags.parseDuration("d", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Flags.parseDuration("d", "1.5")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void errorsNameTheFlag() {
    assertThatThrownBy(() -> Flags.parse(new String[] {"--rat", "1"}, KNOWN, Set.of()))
        .hasMessage("unknown flag: --rat (see --help)");
    assertThatThrownBy(() -> Flags.parse(new String[] {"--rate", "-1"}, KNOWN, Set.of()).integer("rate", 0, 0))
        .hasMessage("--rate: -1 (expected: >= 0)");
    assertThatThrownBy(() -> Flags.parse(new String[] {"--rate", "1", "--rate", "2"}, KNOWN, Set.of()))
        .hasMessage("--rate given twice");
    assertThatThrownBy(() -> Flags.parseDuration("--duration", "soon"))
        .hasMessage("--duration: soon (expected: a duration such as 500ms, 20s, 2m)");
  }
}
