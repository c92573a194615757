package dev.poolshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A throttled call is waited out for many minutes before a step gives up, everywhere the workflow
 * retries transient failures: the day a fleet is approved at once, hundreds of rollouts share one
 * account's request rate, and a step that gave up after two minutes failed whole rollouts
 * ({@code bench 100 --api-limits}: 25 of 100 FAILED at "Create the models").
 */
class ThrottlingRetriesTest {
  private static final String TRANSIENT = TransientServiceException.class.getName();
  private static final String THROTTLED = ServiceThrottledException.class.getName();

  private static JsonNode workflow() throws Exception {
    return new ObjectMapper().readTree(Path.of("statemachine/rollout.asl.json").toFile());
  }

  private static void tasks(JsonNode states, List<JsonNode> out, List<String> names) {
    states.properties().forEach(e -> {
      if (e.getValue().has("Retry")) {
        out.add(e.getValue());
        names.add(e.getKey());
      }
      e.getValue().path("Branches").forEach(b -> tasks(b.path("States"), out, names));
      tasks(e.getValue().path("ItemProcessor").path("States"), out, names);
    });
  }

  private static int indexOf(JsonNode retry, String error) {
    for (int i = 0; i < retry.size(); i++) {
      for (JsonNode e : retry.get(i).path("ErrorEquals")) {
        if (e.asText().equals(error)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The longest a retrier can wait in all, before jitter: each interval capped at MaxDelaySeconds. */
  private static double worstCaseSeconds(JsonNode retrier) {
    double interval = retrier.path("IntervalSeconds").asDouble(1);
    double rate = retrier.path("BackoffRate").asDouble(2);
    double cap = retrier.path("MaxDelaySeconds").asDouble(Double.MAX_VALUE);
    double total = 0;
    for (int attempt = 0; attempt < retrier.path("MaxAttempts").asInt(3); attempt++) {
      total += Math.min(interval * Math.pow(rate, attempt), cap);
    }
    return total;
  }

  @Test
  void everyStepThatRetriesTransientFailuresWaitsOutThrottlingForHalfAnHourFirst() throws Exception {
    List<JsonNode> states = new ArrayList<>();
    List<String> names = new ArrayList<>();
    tasks(workflow().path("States"), states, names);
    List<String> transientRetrying = new ArrayList<>();

    for (int i = 0; i < states.size(); i++) {
      JsonNode retry = states.get(i).path("Retry");
      int transientAt = indexOf(retry, TRANSIENT);
      if (transientAt < 0) {
        continue;
      }
      transientRetrying.add(names.get(i));
      if (catchesThrottling(states.get(i))) {
        // Planning has a loop of its own for throttling ("Plan again later?": an hour, then the
        // start is reported), so its Task retries only briefly.
        continue;
      }
      int throttledAt = indexOf(retry, THROTTLED);
      assertThat(throttledAt).as(names.get(i) + " retries throttling").isNotNegative();
      JsonNode throttled = retry.get(throttledAt);
      assertThat(worstCaseSeconds(throttled)).as(names.get(i) + ": throttling waited out").isGreaterThanOrEqualTo(1800);
      assertThat(throttled.path("JitterStrategy").asText()).as(names.get(i)).isEqualTo("FULL");
      assertThat(worstCaseSeconds(retry.get(transientAt))).as(names.get(i) + ": other failures still give up soon")
          .isLessThan(worstCaseSeconds(throttled));
    }
    assertThat(transientRetrying).hasSizeGreaterThan(40);
  }

  private static boolean catchesThrottling(JsonNode state) {
    for (JsonNode c : state.path("Catch")) {
      for (JsonNode e : c.path("ErrorEquals")) {
        if (e.asText().equals(THROTTLED)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void onlyPlanningCatchesThrottlingIntoALoopOfItsOwn() throws Exception {
    List<String> catching = new ArrayList<>();
    workflow().path("States").properties().forEach(e -> {
      if (catchesThrottling(e.getValue())) {
        catching.add(e.getKey());
      }
    });

    assertThat(catching).containsExactly("Resolve the rollout plan");
  }

  @Test
  void aStepThatCatchesTransientFailuresCatchesThrottlingToo() throws Exception {
    List<String> missing = new ArrayList<>();
    workflow().path("States").properties().forEach(e -> e.getValue().path("Catch").forEach(c -> {
      List<String> errors = new ArrayList<>();
      c.path("ErrorEquals").forEach(x -> errors.add(x.asText()));
      if (errors.contains(TRANSIENT) && !errors.contains(THROTTLED)) {
        missing.add(e.getKey());
      }
    }));

    assertThat(missing).isEmpty();
  }
}
