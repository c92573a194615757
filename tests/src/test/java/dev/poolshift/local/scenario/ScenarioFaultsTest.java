package dev.poolshift.local.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.cli.Main;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The timeline's {@code fault} and {@code setAlarmState} actions are parsed strictly, and
 * {@code run --json} reports every rollback with its measured times.
 */
class ScenarioFaultsTest {
  static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void everyFaultProblemNamesItsField() {
    ObjectNode scenario = withTimeline("""
        [{"at": 10, "fault": {"sagemaker": "failNextDeploymentHealthCheck"}},
         {"at": 20, "fault": {"sagemaker": "meltDown", "endpoint": "x"}},
         {"at": 30, "fault": {"sagemaker": "throttle", "rate": 1.5, "forSeconds": "long"}},
         {"at": 40, "fault": {"lambda": "AlarmEventsFunction", "throttleNext": 2, "timeoutAll": true}},
         {"at": 50, "fault": {"events": "duplicate", "rule": "R", "gapSecs": 1}},
         {"at": 60, "fault": {"cloudwatch": "failNext", "operation": "DescribeAlarms", "times": 1.5}},
         {"at": 70, "fault": {"sagemaker": "clearThrottling", "events": "clear"}},
         {"at": 80, "setAlarmState": {"alarm": "a", "state": "RED"}}]""");

    assertThatThrownBy(() -> Scenario.parse(scenario, "s.json", ROOT)).isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
            "timeline[0].fault.endpoint: required",
            "timeline[1].fault.sagemaker: unknown fault meltDown (one of [clearThrottling, failNext,"
                + " failNextDeploymentHealthCheck, failNextUpdateRollback, rollBackNextUpdateSilently,"
                + " systemUpdating, throttle])",
            "timeline[2].fault.rate: must be 0–1 (got 1.5)",
            "timeline[2].fault.forSeconds: must be a number",
            "timeline[3].fault: a lambda fault sets exactly one switch (got [throttleNext, timeoutAll])",
            "timeline[4].fault.gapSecs: unknown field (allowed: [events, gapSeconds, probability, rule])",
            "timeline[5].fault.code: required",
            "timeline[5].fault.times: must be an integer",
            "timeline[6].fault: needs exactly one of cloudwatch, events, lambda, sagemaker, stepfunctions"
                + " (got [sagemaker, events])",
            "timeline[7].setAlarmState.state: must be one of [ALARM, INSUFFICIENT_DATA, OK] (got RED)"));
  }

  @Test
  void namesThatTheTemplateOrWorldDoesNotHaveAreRefusedBeforeTheRun() {
    ObjectNode scenario = withTimeline("""
        [{"at": 10, "fault": {"lambda": "NoSuchFunction", "throttleAll": true}},
         {"at": 20, "fault": {"events": "disableRule", "rule": "NoSuchRule"}},
         {"at": 30, "fault": {"sagemaker": "failNextUpdateRollback", "endpoint": "elsewhere-prod"}}]""");

    assertThatThrownBy(() -> ScenarioRunner.run(Scenario.parse(scenario, "s.json", ROOT)))
        .isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).satisfiesExactly(
            p -> assertThat(p).startsWith("timeline[0].fault.lambda: no function NoSuchFunction in the template"),
            p -> assertThat(p).startsWith("timeline[1].fault.rule: no rule NoSuchRule in the template"),
            p -> assertThat(p).isEqualTo("timeline[2].fault.endpoint: no endpoint elsewhere-prod in world.endpoints")));
  }

  @Test
  void runJsonReportsTheBadModelsRollbackWithItsMeasuredTimes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"run", "events/scenarios/bad-model.json", "--json"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

    assertThat(code).isZero();
    JsonNode report = LocalJson.parse(out.toString(StandardCharsets.UTF_8));
    assertThat(report.path("rollbacks")).singleElement().satisfies(r -> {
      assertThat(r.path("endpoint").asText()).isEqualTo("fraud-scoring-prod");
      assertThat(r.path("alarmName").asText()).isEqualTo("poolshift-fraud-scoring-prod-canary-v2-5xx-rate");
      double firstError = r.path("firstErrorAtSeconds").asDouble();
      double alarm = r.path("alarmAtSeconds").asDouble();
      double restoreCall = r.path("restoreCallAtSeconds").asDouble();
      double baseline = r.path("baselineRestoredAtSeconds").asDouble();
      assertThat(firstError).isPositive().isLessThan(alarm);
      assertThat(restoreCall).isGreaterThanOrEqualTo(alarm).isLessThan(baseline);
      assertThat(r.path("tActSeconds").asDouble()).isEqualTo(restoreCall - alarm, offset(0.002));
      assertThat(r.path("firstErrorToBaselineSeconds").asDouble())
          .isEqualTo(baseline - firstError, offset(0.002));
    });
  }

  @Test
  void anAbortActionIsNotReportedAsARollbackOnlyTheRolloutItTurnedAroundIs() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"run", "events/scenarios/console-abort.json", "--json"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

    assertThat(code).isZero();
    JsonNode report = LocalJson.parse(out.toString(StandardCharsets.UTF_8));
    assertThat(report.path("executions")).extracting(x -> x.path("outcome").asText())
        .containsExactlyInAnyOrder("ROLLED_BACK", "DELIVERED");
    assertThat(report.path("rollbacks")).singleElement().satisfies(r -> {
      assertThat(r.path("execution").asText()).isEqualTo("fraud-scoring-v2-2f3e6a9b187d");
      assertThat(r.path("outcome").asText()).isEqualTo("ROLLED_BACK");
    });
  }

  private static ObjectNode withTimeline(String timeline) {
    ObjectNode scenario = (ObjectNode) LocalJson.read(ROOT.resolve("events/scenarios/happy-path.json"));
    scenario.set("timeline", LocalJson.parse(timeline));
    return scenario;
  }
}
