package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code run}'s output while a rehearsal runs: the streamed timeline, the progress line, and --json. */
class RunCommandTest {
  private static final String ERASE = "\r\033[K";
  private static final String SCENARIO = "events/scenarios/console-plan.json";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void jsonStaysOneDocumentOnStandardOutputWhileTheTerminalGetsTheTimelineAndProgress() {
    // A wall clock that moves a second per reading: the progress line is due at every check.
    AtomicLong wall = new AtomicLong();

    int code = RunCommand.run(new String[] {SCENARIO, "--json"}, stream(out), stream(err), true,
        () -> wall.getAndAdd(1_000_000_000L));

    assertThat(code).isZero();
    String json = out.toString(StandardCharsets.UTF_8);
    JsonNode report = LocalJson.parse(json);
    assertThat(json).startsWith("{").endsWith("}\n");
    assertThat(report.path("executions").get(0).path("outcome").asText()).isEqualTo("PLANNED");
    String terminal = err.toString(StandardCharsets.UTF_8);
    assertThat(terminal).startsWith("scenario console-plan\n").contains("> Resolve the rollout plan\n")
        .contains(ERASE + "  … +0:00:").containsPattern("of virtual time, \\d+\\.\\d s of wall time, \\d+ executions? running")
        .endsWith(ERASE).doesNotContain("\"scenario\"");
    assertThat(terminal).as("the progress line is redrawn in place, never left on a line of its own")
        .doesNotContainPattern("running\\s*\\n");
  }

  @Test
  void withoutATerminalTheTimelineStreamsToStandardOutputAndNothingElseIsDrawn() {
    int code = RunCommand.run(new String[] {SCENARIO}, stream(out), stream(err), false, System::nanoTime);

    assertThat(code).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("scenario console-plan\n").contains("  +0:01:00  execution plan-fraud-scoring-v2 started\n")
        .contains("execution plan-fraud-scoring-v2: PLANNED").doesNotContain("\r").doesNotContain("\033");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void htmlNeedsAFileName() {
    int code = RunCommand.run(new String[] {SCENARIO, "--html"}, stream(out), stream(err), false, System::nanoTime);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("run: --html needs a file name\nusage: run SCENARIO.json");
  }

  private static PrintStream stream(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }
}
