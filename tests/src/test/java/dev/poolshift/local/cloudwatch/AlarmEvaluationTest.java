package dev.poolshift.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.cloudwatch.AlarmEvaluation.Operator;
import dev.poolshift.local.cloudwatch.AlarmEvaluation.Treatment;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The alarm rule against every row of the two tables in the CloudWatch User Guide, "How alarm
 * state is evaluated when data is missing" (oldest datapoint first; X breaching, 0 not, - missing;
 * an evaluation range of 5 for 3 evaluation periods).
 */
class AlarmEvaluationTest {

  @ParameterizedTest(name = "[{0}] {1} of {2}: missing={3} ignore={4} breaching={5} notBreaching={6}")
  @CsvSource({
      // Table 1: DatapointsToAlarm = EvaluationPeriods = 3
      "'0 - X - X', 3, 3, OK, OK, OK, OK",
      "'0 - - - -', 3, 3, OK, OK, OK, OK",
      "'- - - - -', 3, 3, INSUFFICIENT_DATA, RETAIN, ALARM, OK",
      "'0 X X - X', 3, 3, ALARM, ALARM, ALARM, ALARM",
      "'- - X - -', 3, 3, ALARM, RETAIN, ALARM, OK",
      // Table 2: 2 out of 3
      "'0 - X - X', 2, 3, ALARM, ALARM, ALARM, ALARM",
      "'0 0 X 0 X', 2, 3, ALARM, ALARM, ALARM, ALARM",
      "'0 - X - -', 2, 3, OK, OK, ALARM, OK",
      "'- - - - 0', 2, 3, OK, OK, ALARM, OK",
      "'- - - X -', 2, 3, ALARM, RETAIN, ALARM, OK",
  })
  void reproducesTheUserGuideTables(String datapoints, int m, int n, String missing, String ignore, String breaching,
      String notBreaching) {
    assertThat(outcome(datapoints, m, n, Treatment.MISSING)).isEqualTo(missing);
    assertThat(outcome(datapoints, m, n, Treatment.IGNORE)).isEqualTo(ignore);
    assertThat(outcome(datapoints, m, n, Treatment.BREACHING)).isEqualTo(breaching);
    assertThat(outcome(datapoints, m, n, Treatment.NOT_BREACHING)).isEqualTo(notBreaching);
  }

  @Test
  void aFreshBreachAloneDoesNotAlarmPrematurelyAndKeepsTheState() {
    // "the alarm does not go immediately into ALARM state when the data is - - - - X": harsher
    // reading, the state is kept (INSUFFICIENT_DATA for a fresh alarm, as the older table said).
    assertThat(outcome("- - - - X", 3, 3, Treatment.MISSING)).isEqualTo("RETAIN");
    assertThat(outcome("- - - X -", 3, 3, Treatment.MISSING)).isEqualTo("RETAIN");
    assertThat(outcome("- - - X 0", 3, 3, Treatment.MISSING)).isEqualTo("OK");
  }

  @Test
  void fillsOnlyTheShortfallNeverEveryGapOfTheRange() {
    // Two real datapoints and N = 3: one fill, so one breaching fill + one real breach < 3.
    AlarmEvaluation.Verdict v = verdict("0 - X - -", 3, 3, Treatment.BREACHING);

    assertThat(v.filled()).isEqualTo(1);
    assertThat(v.breaching()).isEqualTo(2);
    assertThat(v.state()).contains(AlarmStateValue.OK);
  }

  @Test
  void enoughRealDatapointsIgnoreTheMissingDataSettingAndReachBackInTheRange() {
    // 3 real datapoints in a range of 5: the treatment is not used; the oldest 0 is among the three.
    for (Treatment t : Treatment.values()) {
      AlarmEvaluation.Verdict v = verdict("0 - X X -", 3, 3, t);
      assertThat(v.state()).as(t.wire).contains(AlarmStateValue.OK);
      assertThat(v.evaluated()).containsExactly(0, 2, 3);
    }
  }

  @Test
  void everyComparisonOperatorComparesTheValueAgainstTheThreshold() {
    assertThat(Operator.GreaterThanThreshold.breaches(2, 2)).isFalse();
    assertThat(Operator.GreaterThanOrEqualToThreshold.breaches(2, 2)).isTrue();
    assertThat(Operator.LessThanThreshold.breaches(2, 2)).isFalse();
    assertThat(Operator.LessThanOrEqualToThreshold.breaches(2, 2)).isTrue();
    assertThat(Operator.LessThanThreshold.breaches(1, 2)).isTrue();
    assertThat(Operator.GreaterThanThreshold.breaches(3, 2)).isTrue();
  }

  private static String outcome(String datapoints, int m, int n, Treatment t) {
    Optional<AlarmStateValue> state = verdict(datapoints, m, n, t).state();
    return state.map(Enum::name).orElse("RETAIN");
  }

  private static AlarmEvaluation.Verdict verdict(String datapoints, int m, int n, Treatment t) {
    String[] parts = datapoints.trim().split("\\s+");
    assertThat(parts).hasSize(AlarmEvaluation.rangeSize(n));
    double[] range = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      range[i] = switch (parts[i]) {
        case "X" -> 2;
        case "0" -> 0;
        default -> Double.NaN;
      };
    }
    return AlarmEvaluation.evaluate(range, n, m, Operator.GreaterThanThreshold, 1, t);
  }
}
