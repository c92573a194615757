package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.lambda.Invocation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The functions' SDK retries wait on the virtual clock: throttling moves a rehearsal's calls later
 * in its timeline, the same way for the same seed, and costs no wall time for the back-off.
 */
class ThrottledRetriesTest {

  @Test
  void aThrottledRolloutRetriesOnTheVirtualClockAndIsPromotedInAboutTheWallTimeOfAnUnthrottledOne() {
    Run calm = rehearse(0.0);
    Run throttled = rehearse(0.3);

    assertThat(calm.outcome()).isEqualTo("PROMOTED");
    assertThat(throttled.outcome()).isEqualTo("PROMOTED");
    assertThat(throttled.insideSteps()).as("virtual time the steps spent backing off")
        .isGreaterThan(calm.insideSteps().plusSeconds(1));
    // Before, each back-off slept in wall time (30% of ~50 calls throttled, up to 20 s each).
    assertThat(throttled.wallMillis()).as("wall time of the throttled rehearsal")
        .isLessThan(calm.wallMillis() * 2 + 5_000);
  }

  @Test
  void theSameSeedBacksOffToTheSameInstants() {
    Run first = rehearse(0.3);
    Run second = rehearse(0.3);

    assertThat(second.steps()).isEqualTo(first.steps());
  }

  private record Run(String outcome, List<Invocation> stepsInvocations, long wallMillis) {
    Duration insideSteps() {
      return stepsInvocations.stream().map(Invocation::duration).reduce(Duration.ZERO, Duration::plus);
    }

    List<String> steps() {
      return stepsInvocations.stream().map(i -> i.start() + "-" + i.end()).toList();
    }
  }

  /** The happy path with {@code rate} of every SageMaker call throttled from before the approval. */
  private static Run rehearse(double rate) {
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
      if (rate > 0) {
        ObjectNode throttle = ((ArrayNode) s.withArray("timeline")).insertObject(0);
        throttle.put("at", 1);
        throttle.putObject("fault").put("sagemaker", "throttle").put("rate", rate);
      }
    })) {
      var report = r.finish();
      return new Run(r.onlyExecution().path("outcome").asText(), r.invocations("RolloutStepsFunction"),
          report.json().path("wallMillis").asLong());
    }
  }
}
