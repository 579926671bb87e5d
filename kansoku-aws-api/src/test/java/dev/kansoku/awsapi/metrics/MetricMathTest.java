package dev.kansoku.awsapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetricMathTest {
  private static TreeMap<Long, Double> series(double... kv) {
    TreeMap<Long, Double> s = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      s.put((long) kv[i], kv[i + 1]);
    }
    return s;
  }

  private static TreeMap<Long, Double> eval(String expr) {
    Map<String, TreeMap<Long, Double>> metrics = new LinkedHashMap<>();
    metrics.put("m1", series(0, 5, 60, 1, 120, 4));
    metrics.put("m2", series(0, 50, 60, 20, 120, 0));
    Map<String, String> exprs = Map.of("x", expr, "loop", "loop + 1", "e2", "m1 * 2");
    return new MetricMath.Context(metrics, exprs::get).series("x");
  }

  @Test
  void arithmeticPrecedenceAndDivisionByZeroDropsThePoint() {
    assertThat(eval("m1/m2*100")).isEqualTo(series(0, 10, 60, 5));
    assertThat(eval("m1 + m2 * 2")).isEqualTo(series(0, 105, 60, 41, 120, 4));
    assertThat(eval("-(m1 - 1) ^ 2")).isEqualTo(series(0, -16, 60, 0, 120, -9));
    assertThat(eval("(m1 > 2) AND (m2 >= 0)")).isEqualTo(series(0, 1, 60, 0, 120, 1));
  }

  @Test
  void missingPointsCountAsZero() {
    Map<String, TreeMap<Long, Double>> metrics = Map.of("a", series(0, 1), "b", series(60, 2));
    assertThat(new MetricMath.Context(metrics, Map.of("x", "a + b")::get).series("x"))
        .isEqualTo(series(0, 1, 60, 2));
  }

  @Test
  void functionsAndScalars() {
    assertThat(eval("SUM(METRICS())")).isEqualTo(series(0, 55, 60, 21, 120, 4));
    assertThat(eval("AVG(METRICS(\"m\"))")).isEqualTo(series(0, 27.5, 60, 10.5, 120, 2));
    assertThat(eval("MAX(m1)")).isEqualTo(series(0, 5, 60, 5, 120, 5)); // a scalar, at every timestamp
    assertThat(eval("RUNNING_SUM(m1)")).isEqualTo(series(0, 5, 60, 6, 120, 10));
    assertThat(eval("DIFF(m1)")).isEqualTo(series(60, -4, 120, 3));
    assertThat(eval("ABS(DIFF(m1)) + e2")).isEqualTo(series(0, 10, 60, 6, 120, 11));
  }

  @Test
  void errorsNameTheProblem() {
    assertThatThrownBy(() -> eval("m1 +")).hasMessageContaining("unexpected end");
    assertThatThrownBy(() -> eval("m3 * 2")).hasMessageContaining("unknown id m3");
    assertThatThrownBy(() -> eval("loop")).hasMessageContaining("circular reference through loop");
    assertThatThrownBy(() -> eval("SEARCH('x')")).hasMessageContaining("unsupported function SEARCH");
    assertThatThrownBy(() -> eval("METRICS()")).hasMessageContaining("several time series");
  }
}
