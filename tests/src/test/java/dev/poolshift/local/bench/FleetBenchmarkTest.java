package dev.poolshift.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark at a size the test suite can afford; {@code ./poolshift bench 500} is the real one. */
class FleetBenchmarkTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void aSmallFleetWithOneBadModelPromotesTheRestRollsTheBadOneBackAndReportsItsReaction() {
    FleetBenchmark.Result result = FleetBenchmark.run(new FleetScenario(3, 1, 0, 1), ROOT);

    assertThat(result.finished()).isTrue();
    assertThat(result.outcomes()).isEqualTo(Map.of("PROMOTED", 2, "ROLLED_BACK", 1));
    assertThat(result.duplicates()).isZero();
    assertThat(result.withoutExecution()).isZero();
    assertThat(result.failures()).as("a rollback is an outcome, not a failure").isEmpty();
    assertThat(result.deadLetters()).isZero();
    assertThat(result.tActSeconds()).singleElement().satisfies(t -> assertThat(t).isBetween(0.0, 5.0));
    assertThat(result.callsPerRollout()).isGreaterThan(10);
    assertThat(result.peakRssBytes()).isPositive();
    assertThat(result.text()).contains("rollouts/s", "peak memory", "calls/rollout", "T_act", "p50");
    assertThat(result.json().path("outcomes").path("PROMOTED").asInt()).isEqualTo(2);
  }

  @Test
  void aFleetUnderTheDefaultApiLimitsIsPromotedAndReportsItsRetries() {
    FleetBenchmark.Result result = FleetBenchmark.run(new FleetScenario(5, 0, 0, 1, true), ROOT);

    assertThat(result.outcomes()).isEqualTo(Map.of("PROMOTED", 5));
    assertThat(result.rateLimitedCalls()).as("calls over the limits").isPositive();
    assertThat(result.sageMakerRetries()).as("retries in the ledger").isPositive();
    assertThat(result.text()).contains("default API limits", "SDK retries in the ledger");
    assertThat(result.json().path("sageMakerRetries").asLong()).isEqualTo(result.sageMakerRetries());
  }

  @Test
  void twentyCanaryAlarmsFiringTogetherAreEachAnsweredWithinFiveSeconds() {
    // Twice the alarm function's former reserved concurrency (10): its throttled events waited
    // for Lambda's retries, 7.55 s for the last ones.
    FleetBenchmark.Result result = FleetBenchmark.run(new FleetScenario(20, 20, 0, 1), ROOT);

    assertThat(result.outcomes()).isEqualTo(Map.of("ROLLED_BACK", 20));
    assertThat(result.tActSeconds()).hasSize(20).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(5.0));
  }

  @Test
  void aRunSaysWhichEndpointsNeverStartedWhatWasDeadLetteredAndWhyRolloutsFailed() {
    FleetBenchmark.Result result = new FleetBenchmark.Result(new FleetScenario(10, 0, 0, 1), true, 5_000, 1L << 30,
        Map.of("PROMOTED", 6, "FAILED", 2), 0, 2, 2,
        Map.of("dev.poolshift.rollout.ServiceThrottledException",
            new FleetBenchmark.Failure(2, "CreateModel fleet-004-v2: ThrottlingException: Rate exceeded")),
        java.util.List.of(), 3600, 12, 30, Map.of("CreateModel", 30, "DescribeEndpoint", 90));

    assertThat(result.text())
        .contains("2 endpoints without an execution, 2 events in dead-letter queues")
        .contains("2 x dev.poolshift.rollout.ServiceThrottledException, e.g. CreateModel fleet-004-v2");
    assertThat(result.callsPerRollout()).isEqualTo(12.0);
    assertThat(result.json().path("failures").path("dev.poolshift.rollout.ServiceThrottledException")
        .path("count").asInt()).isEqualTo(2);
    assertThat(result.json().path("callsPerRolloutByOperation").path("DescribeEndpoint").asDouble()).isEqualTo(9.0);
  }

  @Test
  void aFleetNeedsAnEndpointAndAtMostOneBadModelPerEndpoint() {
    assertThatThrownBy(() -> new FleetScenario(0, 0, 0, 1)).hasMessageContaining("at least one endpoint");
    assertThatThrownBy(() -> new FleetScenario(2, 3, 0, 1)).hasMessageContaining("between 0 and 2");
    assertThatThrownBy(() -> new FleetScenario(2, 0, 1.5, 1)).hasMessageContaining("throttle rate");
  }
}
