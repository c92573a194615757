package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.observe.RuntimeEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How {@code serve} renders each runtime event on the console. */
class EventPrinterTest {
  private static final Instant AT = Instant.parse("2026-06-01T12:01:00.250Z");

  @Test
  void anExecutionStartShowsItsNameMachineAndCompactInput() {
    String line = EventPrinter.render(new RuntimeEvent.ExecutionStarted(AT, "arn:x", "fraud-v2", "poolshift-rollout",
        "{\n  \"endpointName\" : \"fraud-scoring-prod\"\n}"));

    assertThat(line).isEqualTo("2026-06-01T12:01:00Z  execution fraud-v2 started (poolshift-rollout) input "
        + "{\"endpointName\":\"fraud-scoring-prod\"}");
  }

  @Test
  void anExecutionEndShowsTheRolloutsOutcomeOrTheError() {
    String promoted = EventPrinter.render(new RuntimeEvent.ExecutionEnded(AT, "arn:x", "fraud-v2", "SUCCEEDED",
        "{\"outcome\":\"PROMOTED\"}", null, null));
    String rolledBack = EventPrinter.render(new RuntimeEvent.ExecutionEnded(AT, "arn:x", "fraud-v2", "FAILED", null,
        "Poolshift.RolledBack", "alarm fraud-5xx\nwent to ALARM"));

    assertThat(promoted).endsWith("execution fraud-v2 SUCCEEDED, outcome PROMOTED");
    assertThat(rolledBack).endsWith("execution fraud-v2 FAILED, error Poolshift.RolledBack: alarm fraud-5xx went to ALARM");
  }

  @Test
  void aJsonLogLineShowsLevelMessageAndItsOwnKeysWithoutTheOnesEveryLineRepeats() {
    String line = EventPrinter.render(new RuntimeEvent.LambdaLog(AT, "poolshift-rollout-steps",
        "/aws/lambda/poolshift-rollout-steps", "2026/06/01/[1]abc", "req-1",
        "{\"level\":\"INFO\",\"message\":\"shift\",\"weight\":10,\"function_request_id\":\"req-1\","
            + "\"timestamp\":\"2026-06-01T12:01:00Z\",\"service\":\"poolshift\",\"cold_start\":false}"));

    assertThat(line).isEqualTo("2026-06-01T12:01:00Z  [poolshift-rollout-steps] INFO shift {\"weight\":10}");
  }

  @Test
  void aPlainLogLineIsShownAsWritten() {
    String line = EventPrinter.render(new RuntimeEvent.LambdaLog(AT, "f", "/aws/lambda/f", "s", "r",
        "START RequestId: r Version: 1"));

    assertThat(line).isEqualTo("2026-06-01T12:01:00Z  [f] START RequestId: r Version: 1");
  }

  @Test
  void anSnsMessageShowsTopicSubjectAndItsFirstLines() {
    String text = EventPrinter.render(new RuntimeEvent.SnsPublished(AT, "arn:aws:sns:us-east-1:111122223333:alerts",
        "Rollout promoted", "line 1\n\nline 2\nline 3\nline 4\nline 5", "id"));

    assertThat(text.lines()).containsExactly("2026-06-01T12:01:00Z  sns alerts: Rollout promoted", "      | line 1",
        "      | line 2", "      | line 3", "      | … (2 more lines)");
  }

  @Test
  void aStateEnteredNamesTheExecutionAndTheState() {
    assertThat(EventPrinter.render(new RuntimeEvent.StateEntered(AT, "arn:x", "fraud-v2", "Bake under alarms")))
        .isEqualTo("2026-06-01T12:01:00Z  fraud-v2 > Bake under alarms");
  }

  @Test
  void aVeryLongLineIsCut() {
    String line = EventPrinter.render(new RuntimeEvent.LambdaLog(AT, "f", "/aws/lambda/f", "s", "r", "x".repeat(1000)));

    assertThat(line).hasSize(EventPrinter.MAX_LINE).endsWith("…");
  }
}
