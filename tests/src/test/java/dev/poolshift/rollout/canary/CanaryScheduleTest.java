package dev.poolshift.rollout.canary;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.VariantWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryScheduleTest {
  private final CanarySchedule schedule = new CanarySchedule(List.of(10, 50, 100));

  @Test
  void walkingTheCursorVisitsEachStepOnceAndOnlyTheLastPromotes() {
    List<String> walked = new ArrayList<>();
    CanaryStep step = schedule.first();
    while (true) {
      walked.add(step.percent() + "%:" + step.passVerdict());
      if (step.last()) {
        break;
      }
      step = schedule.next(step);
    }

    assertThat(walked).containsExactly("10%:CONTINUE", "50%:CONTINUE", "100%:PROMOTE");
  }

  @Test
  void weightsAreAbsoluteSoARepeatedShiftLandsOnTheSameSplit() {
    CanaryStep second = schedule.step(1);

    List<VariantWeight> once = CanarySchedule.weights(second, "AllTraffic", "canary-v42", 1.0);
    List<VariantWeight> again = CanarySchedule.weights(schedule.step(1), "AllTraffic", "canary-v42", 1.0);

    assertThat(again).isEqualTo(once).containsExactly(
        new VariantWeight("AllTraffic", 0.5), new VariantWeight("canary-v42", 0.5));
  }

  @Test
  void theCanaryTakesItsShareOfTheBaselinesWeightOnly() {
    assertThat(CanarySchedule.weights(schedule.first(), "A", "C", 2.0)).containsExactly(
        new VariantWeight("A", 1.8), new VariantWeight("C", 0.2));
    assertThat(CanarySchedule.weights(schedule.step(2), "A", "C", 2.0)).containsExactly(
        new VariantWeight("A", 0.0), new VariantWeight("C", 2.0));
  }

  @Test
  void thereIsNoStepAfterTheLast() {
    assertThatThrownBy(() -> schedule.next(schedule.step(2))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> schedule.step(3))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("stepIndex: must be 0–2 (got 3)");
  }

  @Test
  void aScheduleMustEndAt100() {
    assertThatThrownBy(() -> new CanarySchedule(List.of(10, 50)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("canarySteps: must be strictly increasing, within (0,100], ending at 100");
  }
}
