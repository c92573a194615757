package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.runtime.LocalRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code serve}: the local services on loopback for any SDK, on a clock faster than the wall's. */
class ServeCommandTest {

  @Test
  void anSdkClientDrivesTheServedScenarioWhileVirtualTimeRunsFasterThanTheWallClock() {
    long wallStart = System.nanoTime();
    try (LocalRuntime runtime = ServeCommand.start(0, 60, Path.of("template.yaml"),
        Path.of("events/scenarios/happy-path.json"))) {
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "thing"));
      try (SageMakerClient sageMaker = SageMakerClient.builder().endpointOverride(runtime.gateway().endpoint())
              .region(Region.US_EAST_1).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
          SfnClient sfn = SfnClient.builder().endpointOverride(runtime.gateway().endpoint())
              .region(Region.US_EAST_1).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {

        assertThat(sageMaker.describeEndpoint(b -> b.endpointName("fraud-scoring-prod")).endpointStatusAsString())
            .isEqualTo("InService");

        // The scenario approves version 2 at t = 60 s: at x60, one wall second after the clock starts.
        assertThat(runtime.stepFunctions().executions()).isEmpty();
        Instant limit = runtime.simulation().start().plus(Duration.ofHours(2));
        boolean started = runtime.simulation().runUntil(() -> !runtime.stepFunctions().executions().isEmpty(), limit);
        assertThat(started).isTrue();
        String machine = runtime.template().stateMachine("RolloutStateMachine").arn();
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions())
            .singleElement().satisfies(e -> assertThat(e.name()).startsWith("fraud-scoring-v2-"));
      }
      assertThat(Duration.between(runtime.simulation().start(), runtime.simulation().now()))
          .as("virtual time ran ahead of the wall clock").isGreaterThan(Duration.ofSeconds(60));
      assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).isLessThan(Duration.ofSeconds(60));
    }
  }

  @Test
  void aMissingScenarioIsAClearErrorWithExitCode2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ServeCommand.run(new String[] {"--port", "0", "events/scenarios/nope.json"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no such scenario file: events/scenarios/nope.json");
  }

  @Test
  void aBadSpeedIsRejectedWithTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ServeCommand.run(new String[] {"--speed", "0"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--speed > 0").contains("usage: serve");
  }

  @Test
  void withoutAScenarioStartVirtualTimeStartsAtTheWallClocksNow() {
    Instant before = Instant.now().minusSeconds(1);
    try (LocalRuntime runtime = ServeCommand.start(0, 1, Path.of("template.yaml"),
        Path.of("events/scenarios/happy-path.json"))) {
      assertThat(runtime.simulation().start()).isBetween(before, Instant.now().plusSeconds(1));
      assertThat(ServeCommand.clockLine(runtime.simulation(), 1)).matches("virtual time \\S+Z \\(x1\\.0; wall \\S+Z\\)");
    }
  }

  @Test
  void aStartFlagPicksTheVirtualStart() {
    Instant chosen = Instant.parse("2026-06-01T12:00:00Z");
    try (LocalRuntime runtime = ServeCommand.start(0, 1, Path.of("template.yaml"), null,
        ServeCommand.parseStart("2026-06-01T12:00:00Z"))) {
      assertThat(runtime.simulation().start()).isEqualTo(chosen);
      assertThat(ServeCommand.clockLine(runtime.simulation(), 1)).startsWith("virtual time 2026-06-01T12:00");
    }
  }

  @Test
  void aBadStartIsRejectedWithTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ServeCommand.run(new String[] {"--start", "yesterday"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--start must be an ISO-8601 instant").contains("usage: serve");
  }
}
