package dev.poolshift.local.cloudwatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The alarm rule of the CloudWatch User Guide ("Alarm evaluation", "Configuring how CloudWatch
 * alarms treat missing data"), as a pure function of the datapoints in the evaluation range.
 *
 * <ol>
 *   <li>CloudWatch retrieves more periods than EvaluationPeriods (N): the <em>evaluation
 *       range</em>. The guide's example has N = 3 and a range of 5; the general size is not
 *       documented (<b>unconfirmed</b>), we use N + 2.
 *   <li>At least N real datapoints in the range: the N most recent real ones are evaluated and the
 *       missing-data setting is not used; ALARM when at least DatapointsToAlarm (M) breach, else
 *       OK.
 *   <li>Fewer than N: every real datapoint is evaluated and only the shortfall is filled with the
 *       treatment ("missing data points only as few times as possible"): {@code breaching} fills
 *       count as breaching, {@code notBreaching} as good. With {@code missing} and {@code ignore}
 *       nothing is filled: an all-missing range is INSUFFICIENT_DATA ({@code missing}) or keeps
 *       the state ({@code ignore}); the "premature alarm" rule applies (the oldest breaching
 *       datapoint among the last N periods is at least M periods old, everything newer is
 *       breaching or missing, and no evaluated datapoint is good: ALARM, or keep the state for
 *       {@code ignore}); a good datapoint among the evaluated ones makes it OK.
 *   <li>What remains — too few datapoints, all of them breaching, fewer than M, not premature
 *       (the guide's {@code - - - - X}) — is where the current guide only says the alarm "does
 *       not go immediately into ALARM". An older revision of the table said INSUFFICIENT_DATA for
 *       {@code missing}; we take the harsher reading and keep the current state for both {@code
 *       missing} and {@code ignore}: an OK alarm stays quiet while breaches trickle in (for a fresh
 *       alarm that is INSUFFICIENT_DATA, which agrees with the old table).
 * </ol>
 * This reproduces every row of both tables in the guide (tested in {@code AlarmEvaluationTest}).
 */
final class AlarmEvaluation {
  private AlarmEvaluation() {}

  /** TreatMissingData. */
  enum Treatment {
    MISSING("missing"), IGNORE("ignore"), BREACHING("breaching"), NOT_BREACHING("notBreaching");

    final String wire;

    Treatment(String wire) {
      this.wire = wire;
    }

    static Optional<Treatment> parse(String wire) {
      return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }
  }

  /** ComparisonOperator (static thresholds). */
  enum Operator {
    GreaterThanOrEqualToThreshold("greater than or equal to"),
    GreaterThanThreshold("greater than"),
    LessThanThreshold("less than"),
    LessThanOrEqualToThreshold("less than or equal to");

    final String phrase;

    Operator(String phrase) {
      this.phrase = phrase;
    }

    boolean breaches(double value, double threshold) {
      return switch (this) {
        case GreaterThanOrEqualToThreshold -> value >= threshold;
        case GreaterThanThreshold -> value > threshold;
        case LessThanThreshold -> value < threshold;
        case LessThanOrEqualToThreshold -> value <= threshold;
      };
    }
  }

  /** What an evaluation decided. */
  enum Rule {
    /** Enough real datapoints, or the shortfall filled by the treatment: plain M-of-N. */
    THRESHOLD,
    /** The premature-alarm rule (fewer than M breaching datapoints, yet ALARM). */
    PREMATURE,
    /** Every datapoint in the range is missing. */
    ALL_MISSING,
    /** Too few datapoints to decide; the state is kept. */
    UNDECIDED
  }

  /**
   * @param state the new state, or empty to keep the current one
   * @param evaluated indices into the range (oldest first) of the real datapoints evaluated
   * @param breaching how many evaluated datapoints (including breaching fills) breach
   * @param filled how many missing datapoints were filled by the treatment
   */
  record Verdict(Optional<AlarmStateValue> state, Rule rule, List<Integer> evaluated, int breaching, int filled) {}

  /** Size of the evaluation range for N evaluation periods (see the class comment). */
  static int rangeSize(int evaluationPeriods) {
    return evaluationPeriods + 2;
  }

  /**
   * @param range the datapoints of the evaluation range, oldest first; NaN = missing
   */
  static Verdict evaluate(double[] range, int n, int m, Operator op, double threshold, Treatment treatment) {
    List<Integer> real = new ArrayList<>();
    for (int i = 0; i < range.length; i++) {
      if (!Double.isNaN(range[i])) {
        real.add(i);
      }
    }
    if (real.size() >= n) {
      List<Integer> evaluated = List.copyOf(real.subList(real.size() - n, real.size()));
      int breaching = count(range, evaluated, op, threshold);
      return new Verdict(Optional.of(breaching >= m ? AlarmStateValue.ALARM : AlarmStateValue.OK), Rule.THRESHOLD, evaluated,
          breaching, 0);
    }
    List<Integer> evaluated = List.copyOf(real);
    int filled = n - real.size();
    int breaching = count(range, evaluated, op, threshold);
    switch (treatment) {
      case BREACHING -> {
        int total = breaching + filled;
        return new Verdict(Optional.of(total >= m ? AlarmStateValue.ALARM : AlarmStateValue.OK),
            real.isEmpty() ? Rule.ALL_MISSING : Rule.THRESHOLD, evaluated, total, filled);
      }
      case NOT_BREACHING -> {
        return new Verdict(Optional.of(breaching >= m ? AlarmStateValue.ALARM : AlarmStateValue.OK),
            real.isEmpty() ? Rule.ALL_MISSING : Rule.THRESHOLD, evaluated, breaching, filled);
      }
      default -> {
        // missing and ignore fill nothing
      }
    }
    if (breaching >= m) {
      return new Verdict(Optional.of(AlarmStateValue.ALARM), Rule.THRESHOLD, evaluated, breaching, 0);
    }
    boolean ignore = treatment == Treatment.IGNORE;
    if (real.isEmpty()) {
      return new Verdict(ignore ? Optional.empty() : Optional.of(AlarmStateValue.INSUFFICIENT_DATA), Rule.ALL_MISSING,
          evaluated, 0, 0);
    }
    if (premature(range, evaluated, n, m, op, threshold)) {
      return new Verdict(ignore ? Optional.empty() : Optional.of(AlarmStateValue.ALARM), Rule.PREMATURE, evaluated,
          breaching, 0);
    }
    if (breaching < evaluated.size()) {
      return new Verdict(Optional.of(AlarmStateValue.OK), Rule.THRESHOLD, evaluated, breaching, 0);
    }
    return new Verdict(Optional.empty(), Rule.UNDECIDED, evaluated, breaching, 0);
  }

  private static int count(double[] range, List<Integer> indices, Operator op, double threshold) {
    int breaching = 0;
    for (int i : indices) {
      if (op.breaches(range[i], threshold)) {
        breaching++;
      }
    }
    return breaching;
  }

  private static boolean premature(double[] range, List<Integer> evaluated, int n, int m, Operator op, double threshold) {
    for (int i : evaluated) {
      if (!op.breaches(range[i], threshold)) {
        return false;
      }
    }
    int windowStart = Math.max(0, range.length - n);
    for (int i = windowStart; i < range.length; i++) {
      if (!Double.isNaN(range[i])) {
        // the oldest breaching datapoint of the window; its age in periods, the newest being 1
        return range.length - i >= m;
      }
    }
    return false;
  }
}
