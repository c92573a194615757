package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./poolshift bench}'s arguments: what it refuses, and a fleet of one over the loopback socket. */
class BenchCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int bench(String... args) {
    return BenchCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void withoutAFleetSizeOrWithAnUnknownOptionItPrintsItsUsageAndExitsTwo() {
    assertThat(bench()).isEqualTo(2);
    assertThat(bench("10", "--fast")).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unexpected --fast")
        .contains("[--loopback]").contains("[--api-limits]");
  }

  @Test
  void aFleetOfOneOverTheLoopbackSocketIsPromotedAndPrintedAsJson() {
    assertThat(bench("1", "--loopback", "--sequential", "--json")).isEqualTo(0);

    JsonNode result = LocalJson.parse(out.toString(StandardCharsets.UTF_8));
    assertThat(result.path("endpoints").asInt()).isEqualTo(1);
    assertThat(result.path("outcomes").path("PROMOTED").asInt()).isEqualTo(1);
    assertThat(result.path("callsPerRollout").asDouble()).isEqualTo(30.0);
    assertThat(result.path("withoutExecution").asInt()).isZero();
  }
}
