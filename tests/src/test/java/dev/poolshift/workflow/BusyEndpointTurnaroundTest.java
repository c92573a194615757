package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.sagemaker.SageMakerMutation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An alarm that arrives while SageMaker is busy (a weight shift in flight) cannot have its
 * weights set then: SageMaker refuses "Cannot update in-progress endpoint". The endpoint's state
 * change back to InService is the moment, event-driven: the restore call is accepted within
 * seconds of the endpoint accepting calls, not at the rollback step's next retry.
 */
class BusyEndpointTurnaroundTest {
  private static final String WEIGHTS = "UpdateEndpointWeightsAndCapacities";

  @Test
  void anAlarmDuringAShiftGetsItsRestoreAcceptedWithinFiveSecondsOfTheEndpointAcceptingCalls() {
    try (Rehearsal r = Rehearsal.of("alarm-during-shift.json", s -> { })) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
      List<SageMakerMutation> shifts = r.accepted(WEIGHTS);
      SageMakerMutation toFifty = shifts.get(1);
      SageMakerMutation restore = shifts.get(2);
      Instant alarm = Instant.parse("2026-06-01T12:00:00Z").plus(Duration.ofSeconds(21 * 60 + 22));
      assertThat(restore.time()).as("not while the shift to 50% still ran").isAfter(alarm);
      Instant inService = r.runtime().sageMaker().visibleHistory("fraud-scoring-prod").stream()
          .filter(m -> m.at().isAfter(toFifty.time()) && m.status().equals("InService"))
          .map(dev.poolshift.local.sagemaker.EndpointMoment::at).findFirst().orElseThrow();
      assertThat(Duration.between(inService, restore.time())).as("restore after InService")
          .isBetween(Duration.ZERO, Duration.ofSeconds(5));
      assertThat(r.logsContaining("EndpointEventsFunction",
          "baseline weights set as soon as the endpoint accepted calls")).hasSize(1);
      assertThat(shifts).as("one restore, not a second one from the rollback step's retry")
          .hasSize(3);
      r.assertInvariants();
    }
  }
}
