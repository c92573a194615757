package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * Every SageMaker call is one more chance to be throttled by the account's API limits when many
 * endpoints roll out at once: the happy path stays within a budget of calls.
 */
class SageMakerCallBudgetTest {

  @Test
  void theHappyPathMakesAtMostThirtySageMakerCalls() {
    try (Rehearsal r = Rehearsal.of("happy-path.json", json -> { })) {
      r.finish();
      SortedMap<String, Integer> calls = r.runtime().sageMaker().callsByOperation();
      int total = calls.values().stream().mapToInt(Integer::intValue).sum();
      System.out.println("SageMaker calls on the happy path: " + total + " " + calls);
      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(total).as("SageMaker calls on the happy path: %s", calls).isLessThanOrEqualTo(30);
    }
  }
}
