package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioRunner;
import dev.poolshift.local.sfn.Execution;
import dev.poolshift.local.sfn.SfnExecutionStatus;
import dev.poolshift.local.sim.Simulation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * {@code smoke} ("Approval rule without a target" in docs/situations.md) against a served
 * runtime: the happy-path world's stack, its clock running {@value #SPEED} times faster than the
 * wall's, reached over loopback by the
 * command's own SDK clients exactly as after {@code sam deploy}. The command's timeout runs on
 * the runtime's virtual clock, so "60 s" means 60 s of the stack's time.
 */
class SmokeCommandTest {
  private static final double SPEED = 20;
  private static final Path HAPPY_PATH = Path.of("events/scenarios/happy-path.json");
  private static final String APPROVAL_RULE = "ApprovalIntakeFunctionPackageApproved";

  @TempDir
  Path temp;

  @Test
  void passesWhenTheApprovalStartsExactlyOneExecutionForTheNewPackage() {
    try (LocalRuntime runtime = served(Path.of("template.yaml"))) {
      Run run = smoke(runtime, "--model-package-group", "fraud-scoring");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).containsPattern(
          "PASS: execution fraud-scoring-v3-\\S+ started \\d+\\.\\d s after the approval");
      String created = packageArn(runtime, 3);
      assertThat(run.out()).contains("registered " + created + " (a copy of " + packageArn(runtime, 1) + ")");
      assertThat(executionsFor(runtime, created)).singleElement()
          .satisfies(e -> assertThat(run.out()).contains("execution " + e.name() + " started"));
      assertThat(runtime.stepFunctions().executions()).as("nothing else was started").hasSize(1);
    }
  }

  @Test
  void stopAbortsTheExecutionItFoundAndJsonReportsIt() {
    try (LocalRuntime runtime = served(Path.of("template.yaml"))) {
      Run run = smoke(runtime, "--model-package-group", "fraud-scoring", "--stop", "--json");

      assertThat(run.code()).as(run.err()).isZero();
      JsonNode report = LocalJson.parse(run.out());
      String created = packageArn(runtime, 3);
      Execution execution = executionsFor(runtime, created).getFirst();
      assertThat(report.path("result").asText()).isEqualTo("PASS");
      assertThat(report.path("modelPackageArn").asText()).isEqualTo(created);
      assertThat(report.path("copiedFrom").asText()).isEqualTo(packageArn(runtime, 1));
      assertThat(report.path("executionArn").asText()).isEqualTo(execution.arn());
      assertThat(report.path("secondsAfterApproval").asDouble()).isBetween(0.0, 60.0);
      assertThat(report.path("stopped").asBoolean()).isTrue();
      assertThat(execution.status()).isEqualTo(SfnExecutionStatus.ABORTED);
    }
  }

  @Test
  void failsWithExitCode1WhenTheApprovalRuleHasNoTargets() throws IOException {
    try (LocalRuntime runtime = served(templateWithTargetlessApprovalRule())) {
      Instant start = runtime.simulation().now();

      Run run = smoke(runtime, "--model-package-group", "fraud-scoring", "--timeout-seconds", "60");

      assertThat(run.code()).as(run.err()).isEqualTo(1);
      String created = packageArn(runtime, 3);
      assertThat(run.out()).contains("FAIL: no execution for " + created + " within 60 s")
          .contains("approval rule's targets").contains(APPROVAL_RULE).contains("IntakeDeadLetterQueue");
      // The approval did reach the bus and match the rule; with no target, nothing ran.
      assertThat(runtime.events().events()).anySatisfy(e -> {
        assertThat(e.event().path("detail").path("ModelPackageArn").asText()).isEqualTo(created);
        assertThat(e.matchedRules()).contains(APPROVAL_RULE);
      });
      assertThat(runtime.lambda().invocations()).noneMatch(i -> i.functionName().contains("ApprovalIntake"));
      assertThat(runtime.stepFunctions().executions()).isEmpty();
      assertThat(Duration.between(start, runtime.simulation().now())).as("gave up at the timeout, not before")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(60)).isLessThan(Duration.ofSeconds(90));
    }
  }

  @Test
  void aGroupThatDoesNotExistIsAnErrorNamingItWithExitCode2() {
    try (LocalRuntime runtime = served(Path.of("template.yaml"))) {
      Run run = smoke(runtime, "--model-package-group", "no-such-group");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("model package group 'no-such-group' not found");
      assertThat(runtime.stepFunctions().executions()).isEmpty();
    }
  }

  @Test
  void aGroupWithoutAnApprovedVersionIsAnErrorWithExitCode2AndRegistersNothing() {
    try (LocalRuntime runtime = served(Path.of("template.yaml"));
        SageMakerClient sageMaker = sageMaker(runtime)) {
      sageMaker.createModelPackageGroup(b -> b.modelPackageGroupName("smoke-empty"));

      Run run = smoke(runtime, "--model-package-group", "smoke-empty");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("model package group 'smoke-empty' has no Approved version to copy");
      assertThat(sageMaker.listModelPackages(b -> b.modelPackageGroupName("smoke-empty")).modelPackageSummaryList())
          .isEmpty();
    }
  }

  @Test
  void aMissingStateMachineArnIsRejectedWithTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"smoke", "--model-package-group", "fraud-scoring"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--state-machine-arn: required").contains("usage: smoke");
  }

  // ------------------------------------------------------------------ helpers

  record Run(int code, String out, String err) {}

  /** The happy-path world on the given template, served at {@link #SPEED}; its timeline is not played. */
  private static LocalRuntime served(Path template) {
    Scenario scenario = Scenario.load(HAPPY_PATH);
    LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(template).withRealTime(SPEED));
    runtime.startClock();
    return runtime;
  }

  private static Run smoke(LocalRuntime runtime, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--state-machine-arn",
        runtime.stateMachineArn("RolloutStateMachine"), "--endpoint-url", runtime.gateway().endpoint().toString(),
        "--region", "us-east-1"));
    args.addAll(List.of(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SmokeCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), virtualClock(runtime.simulation()));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Polls on the runtime's clock: the timeout is the stack's time, reached in wall time / SPEED. */
  private static SmokeCommand.Pacer virtualClock(Simulation sim) {
    return new SmokeCommand.Pacer() {
      @Override
      public Instant now() {
        return sim.now();
      }

      @Override
      public void pause(Duration duration) {
        sim.runUntil(() -> false, sim.now().plus(duration));
      }
    };
  }

  /**
   * A copy of template.yaml whose approval rule was written by hand with its targets forgotten:
   * the function's PackageApproved event is gone and a plain rule of the same name matches the
   * approvals and delivers them nowhere.
   */
  private Path templateWithTargetlessApprovalRule() throws IOException {
    String yaml = Files.readString(Path.of("template.yaml"));
    int from = yaml.indexOf("        PackageApproved:\n");
    int to = yaml.indexOf("        PackageRejected:\n");
    assertThat(from).as("template.yaml still declares the PackageApproved event").isPositive().isLessThan(to);
    String withoutEvent = yaml.substring(0, from) + yaml.substring(to);
    String rule = """
        Resources:
          ApprovalIntakeFunctionPackageApproved:
            Type: AWS::Events::Rule
            Properties:
              EventPattern:
                source: [aws.sagemaker]
                detail-type: [SageMaker Model Package State Change]
                detail:
                  ModelApprovalStatus: [Approved]
        """;
    assertThat(withoutEvent).contains("\nResources:\n");
    String misconfigured = withoutEvent.replace("\nResources:\n", "\n" + rule);
    Files.writeString(temp.resolve("template.yaml"), misconfigured);
    Files.createDirectories(temp.resolve("statemachine"));
    Files.copy(Path.of("statemachine/rollout.asl.json"), temp.resolve("statemachine/rollout.asl.json"));
    return temp.resolve("template.yaml");
  }

  private static String packageArn(LocalRuntime runtime, int version) {
    return runtime.template().aws().arn("sagemaker", "model-package/fraud-scoring/" + version);
  }

  private static List<Execution> executionsFor(LocalRuntime runtime, String packageArn) {
    return runtime.stepFunctions().executions().stream()
        .filter(e -> packageArn.equalsIgnoreCase(LocalJson.parse(e.input()).path("modelPackageArn").asText()))
        .toList();
  }

  private static SageMakerClient sageMaker(LocalRuntime runtime) {
    return SageMakerClient.builder().endpointOverride(runtime.gateway().endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "thing")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
