package dev.poolshift.local.cloudwatch;

import static dev.poolshift.local.cloudwatch.CloudWatchHarness.CANARY_V7;
import static dev.poolshift.local.cloudwatch.CloudWatchHarness.PRIMARY_V6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.aws.CloudWatchAlarms;
import dev.poolshift.local.cloudwatch.TrafficScenario.LatencyProfile;
import dev.poolshift.local.cloudwatch.TrafficScenario.ModelBehaviour;
import dev.poolshift.local.cloudwatch.TrafficScenario.RequestRate;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.plan.CanaryAlarms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The canary's 5xx-rate alarm as Poolshift creates it, evaluated by the local CloudWatch on
 * traffic from the model: a healthy canary never trips it over a long bake, and a canary clearly
 * above the threshold trips it within a few periods, down to 1.5x the threshold where the volume
 * lets any test tell them apart (the former rule needed twice the threshold at every volume).
 */
class ErrorRateAlarmPowerTest {
  private static final String ENDPOINT = "churn-prod";
  private static final String CONFIG = "churn-prod-config-2";
  private static final double THRESHOLD = 0.001;
  private final CloudWatchHarness h = new CloudWatchHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aHealthyCanaryNeverTripsTheAlarmOverASixHourBakeAtLowOrHighVolume() {
    for (double rpm : new double[] {3_000, 3_000_000}) {
      CloudWatchHarness run = new CloudWatchHarness();
      try {
        Optional<Instant> tripped = firstAlarm(run, rpm, THRESHOLD / 10, Duration.ofHours(6));

        assertThat(tripped).as("%s requests/min at a tenth of the threshold", rpm).isEmpty();
      } finally {
        run.close();
      }
    }
  }

  @Test
  void aCanaryAtOneAndAHalfTimesTheThresholdTripsItWithinAFewPeriodsOnABusyEndpoint() {
    // 10% of 3M requests/min is ~50k per 10-s period: ~50 errors expected at the threshold.
    Optional<Instant> tripped = firstAlarm(h, 3_000_000, 1.5 * THRESHOLD, Duration.ofMinutes(10));

    assertThat(tripped).hasValueSatisfying(t ->
        assertThat(Duration.between(start(h), t)).isLessThanOrEqualTo(Duration.ofSeconds(90)));
  }

  @Test
  void onAQuietEndpointAClearlyBadCanaryStillTripsItWithinAFewPeriods() {
    // 10% of 30k requests/min: ~500 per period, a tenth of one error expected at the threshold.
    Optional<Instant> tripped = firstAlarm(h, 30_000, 20 * THRESHOLD, Duration.ofMinutes(10));

    assertThat(tripped).hasValueSatisfying(t ->
        assertThat(Duration.between(start(h), t)).isLessThanOrEqualTo(Duration.ofMinutes(2)));
  }

  @Test
  void theSquareRootLadderIsAnUpperBoundWithinSixPercentWhereItMatters() {
    for (double x = 0.5; x < 30_000; x *= 1.07) {
      double bound = ladder(x);

      assertThat(bound).as("sqrt bound at %s", x).isGreaterThanOrEqualTo(Math.sqrt(x));
      assertThat(bound / Math.sqrt(x)).as("tightness at %s", x).isLessThan(1.07);
    }
  }

  /** The ladder CanaryAlarms writes into metric math, evaluated here the same way. */
  private static double ladder(double x) {
    for (int s = 1; s < 128; s *= 2) {
      if (x < 2.0 * s * s) {
        return (x + (double) s * s) / (2 * s);
      }
    }
    return (x + 16384) / 256;
  }

  private static Instant start(CloudWatchHarness run) {
    return run.at("12:00:00");
  }

  /** The canary's overall 5xx-rate alarm at {@code rate}: when it first goes to ALARM. */
  private static Optional<Instant> firstAlarm(CloudWatchHarness run, double rpm, double rate,
      Duration within) {
    run.source.serve(ENDPOINT, CloudWatchHarness.canaryLayout(CONFIG,
        new ServingSlice("canary", 0.1, "ml.g5.2xlarge", 2, CANARY_V7, CONFIG)));
    run.source.publishSeconds.put(ENDPOINT, 10);
    run.startTraffic(new TrafficScenario(7, RequestRate.constant(rpm), Map.of(),
        ModelBehaviour.healthy(), List.of(new ModelBehaviour(CANARY_V7, null, rate, 0,
            new LatencyProfile(20, 60)), new ModelBehaviour(PRIMARY_V6, null, 0, 0,
            new LatencyProfile(20, 60)))));
    AlarmSpec spec = CanaryAlarms.rateAlarmFor(ENDPOINT, "canary", null, THRESHOLD, true,
        "test-");
    new CloudWatchAlarms(run.client).put(spec);
    run.runUntil(start(run).plus(within));
    return run.cloudWatch.transitions().stream()
        .filter(t -> t.alarmName().equals(spec.name()) && t.to() == AlarmStateValue.ALARM)
        .map(AlarmTransition::at).findFirst();
  }
}
