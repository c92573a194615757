package dev.poolshift.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.cloudwatch.MetricMath.MathException;
import dev.poolshift.local.cloudwatch.MetricMath.Series;
import dev.poolshift.local.cloudwatch.MetricMath.SeriesValue;
import dev.poolshift.local.cloudwatch.MetricMath.Type;
import dev.poolshift.local.cloudwatch.MetricMath.Value;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetricMathTest {
  /** Five one-minute periods; err and inv miss some of them. */
  private static final long[] GRID = {0, 60, 120, 180, 240};
  private final Map<String, Series> metrics = Map.of(
      "err", new Series("err", new long[] {0, 60, 120, 240}, new double[] {3, 0, 5, 1}),
      "inv", new Series("inv", new long[] {0, 60, 180, 240}, new double[] {100, 0, 50, 10}));

  @Test
  void fiveXxRateRecipeDividesWhereBothSeriesHavePointsAndGuardsZero() throws MathException {
    Map<Long, Double> rate = evaluate("IF(inv > 0, 100 * err / inv, 0)");

    // 0: 3%; 60: inv = 0 -> 0; 120: no inv -> no point; 180: no err -> no point; 240: 10%
    assertThat(rate).containsExactly(Map.entry(0L, 3.0), Map.entry(60L, 0.0), Map.entry(240L, 10.0));
  }

  @Test
  void divisionByZeroYieldsNoDatapoint() throws MathException {
    assertThat(evaluate("err / inv")).containsOnlyKeys(0L, 240L);
  }

  @Test
  void fillCompletesTheGridWithAValueTheLastValueOrALine() throws MathException {
    assertThat(evaluate("FILL(inv, 0)")).containsExactly(Map.entry(0L, 100.0), Map.entry(60L, 0.0),
        Map.entry(120L, 0.0), Map.entry(180L, 50.0), Map.entry(240L, 10.0));
    assertThat(evaluate("FILL(err, REPEAT)")).containsEntry(180L, 5.0);
    assertThat(evaluate("FILL(inv, LINEAR)")).containsEntry(120L, 25.0);
  }

  @Test
  void arithmeticFollowsOperatorPrecedence() throws MathException {
    assertThat(scalar("1 + 2 * 3 ^ 2")).isEqualTo(19.0);
    assertThat(scalar("(1 + 2) * 3")).isEqualTo(9.0);
    assertThat(scalar("10 - 4 - 3")).isEqualTo(3.0);
    assertThat(scalar("2 > 1 && 1 >= 1")).isEqualTo(1.0);
    assertThat(scalar("NOT (2 > 1) || 0")).isEqualTo(0.0);
    assertThat(scalar("IF(1 < 0, 5, 7)")).isEqualTo(7.0);
  }

  @Test
  void aggregatesOverAnArrayGiveASeriesAndOverOneSeriesAScalar() throws MathException {
    assertThat(evaluate("SUM([err, inv])")).containsExactly(Map.entry(0L, 103.0), Map.entry(60L, 0.0),
        Map.entry(120L, 5.0), Map.entry(180L, 50.0), Map.entry(240L, 11.0));
    assertThat(evaluate("MAX([err, inv])")).containsEntry(120L, 5.0);
    assertThat(scalar("AVG(err)")).isEqualTo(2.25);
    assertThat(scalar("MIN(inv)")).isEqualTo(0.0);
    assertThat(type("SUM(METRICS())")).isEqualTo(Type.SERIES);
  }

  @Test
  void checkingRejectsUnsupportedFunctionsUnknownIdsAndWrongArity() {
    assertThatThrownBy(() -> type("ANOMALY_DETECTION_BAND(err, 2)"))
        .hasMessage("unsupported function 'ANOMALY_DETECTION_BAND'");
    assertThatThrownBy(() -> type("err / total")).hasMessage("unrecognized metric id 'total'");
    assertThatThrownBy(() -> type("IF(err)")).hasMessage("IF takes 2 to 3 arguments, got 1");
    assertThatThrownBy(() -> type("FILL(1, 0)"))
        .hasMessage("the first argument of FILL must be a time series or an array");
  }

  @Test
  void parsingReportsWhereTheExpressionIsBroken() {
    assertThatThrownBy(() -> MetricMath.parse("100 * (err / inv")).hasMessage("expected ')' at the end");
    assertThatThrownBy(() -> MetricMath.parse("err # inv")).hasMessage("unexpected character '#' at position 5");
    assertThatThrownBy(() -> MetricMath.parse("Err + 1")).hasMessage("unknown name 'Err' at position 1");
  }

  private Type type(String expression) throws MathException {
    return MetricMath.check(MetricMath.parse(expression), id -> metrics.containsKey(id) ? Type.SERIES : null);
  }

  private double scalar(String expression) throws MathException {
    assertThat(type(expression)).isEqualTo(Type.SCALAR);
    return ((MetricMath.Scalar) MetricMath.evaluate(MetricMath.parse(expression), context())).value();
  }

  private Map<Long, Double> evaluate(String expression) throws MathException {
    assertThat(type(expression)).isEqualTo(Type.SERIES);
    Series s = ((SeriesValue) MetricMath.evaluate(MetricMath.parse(expression), context())).series();
    Map<Long, Double> points = new TreeMap<>();
    for (int i = 0; i < s.times().length; i++) {
      points.put(s.times()[i], s.values()[i]);
    }
    return points;
  }

  private MetricMath.Context context() {
    return new MetricMath.Context() {
      @Override
      public long[] grid() {
        return GRID;
      }

      @Override
      public long period() {
        return 60;
      }

      @Override
      public Value resolve(String id) {
        return new SeriesValue(metrics.get(id));
      }

      @Override
      public List<Series> metrics(String filter) {
        return List.of(metrics.get("err"), metrics.get("inv"));
      }
    };
  }
}
