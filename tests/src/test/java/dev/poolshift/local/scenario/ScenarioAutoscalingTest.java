package dev.poolshift.local.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A scenario's {@code variants[].autoscaling}: parsed strictly, seeded through Application Auto Scaling, reported. */
class ScenarioAutoscalingTest {
  static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void everyAutoscalingProblemNamesItsField() {
    ObjectNode scenario = withAutoscaling("""
        {"minCapacity": 4, "maxCapacity": 2, "cooldown": 1,
         "policies": [{"PolicyType": "TargetTrackingScaling", "ResourceId": "endpoint/x/variant/y"}]}""");

    assertThatThrownBy(() -> Scenario.parse(scenario, "s.json", ROOT)).isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
            "world.endpoints[0].variants[0].autoscaling.cooldown: unknown field",
            "world.endpoints[0].variants[0].autoscaling.maxCapacity: must be at least minCapacity (4)",
            "world.endpoints[0].variants[0].autoscaling.policies[0].PolicyName: required",
            "world.endpoints[0].variants[0].autoscaling.policies[0].ResourceId: set by the variant; leave it out"));
  }

  @Test
  void aPolicyApplicationAutoScalingRefusesStopsTheSeedingNamingTheVariant() {
    Scenario scenario = Scenario.parse(withAutoscaling("""
        {"minCapacity": 1, "maxCapacity": 3, "policies": [{"PolicyName": "p", "PolicyType": "TargetTrackingScaling"}]}"""),
        "s.json", ROOT);

    assertThatThrownBy(() -> ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template())))
        .isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).singleElement().asString()
            .startsWith("world.endpoints[fraud-scoring-prod].variants[0].autoscaling.policies[0]: ValidationException")
            .contains("TargetTrackingScalingPolicyConfiguration"));
  }

  @Test
  void theSeededTargetIsRegisteredAndReportedWithTheVariant() {
    Scenario scenario = Scenario.parse(withAutoscaling("""
        {"minCapacity": 2, "maxCapacity": 6, "suspendedState": {"DynamicScalingInSuspended": true},
         "policies": [{"PolicyName": "invocations", "PolicyType": "TargetTrackingScaling",
           "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 750.0,
             "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}}}]}"""),
        "s.json", ROOT);

    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      ScenarioReport report = ScenarioRunner.runToEnd(scenario, runtime, System.nanoTime());

      assertThat(runtime.autoScaling().isVariantRegistered("fraud-scoring-prod", "AllTraffic")).isTrue();
      assertThat(report.json().path("endpoints").path("fraud-scoring-prod").path("variants").get(0).path("autoscaling"))
          .isEqualTo(LocalJson.parse("""
              {"resourceId": "endpoint/fraud-scoring-prod/variant/AllTraffic", "minCapacity": 2, "maxCapacity": 6,
               "suspendedState": {"DynamicScalingInSuspended": true},
               "policies": [{"policyName": "invocations", "policyType": "TargetTrackingScaling"}],
               "scheduledActions": []}"""));
    }
  }

  @Test
  void everyScheduledActionProblemNamesItsField() {
    ObjectNode scenario = withAutoscaling("""
        {"minCapacity": 1, "maxCapacity": 3, "scheduledActions": [
          {"Schedule": "cron(0 8 * * ? *)", "ResourceId": "endpoint/x/variant/y"},
          {"ScheduledActionName": "a", "StartTime": "tomorrow", "ScalableTargetAction": {"MinCapacity": -1, "Desired": 2}},
          {"ScheduledActionName": "a", "Schedule": "rate(1 hour)"}]}""");

    assertThatThrownBy(() -> Scenario.parse(scenario, "s.json", ROOT)).isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
            "world.endpoints[0].variants[0].autoscaling.scheduledActions[0].ResourceId: unknown field",
            "world.endpoints[0].variants[0].autoscaling.scheduledActions[0].ScheduledActionName: required",
            "world.endpoints[0].variants[0].autoscaling.scheduledActions[1].Schedule: required",
            "world.endpoints[0].variants[0].autoscaling.scheduledActions[1].StartTime: must be epoch seconds, as on the wire",
            "world.endpoints[0].variants[0].autoscaling.scheduledActions[1].ScalableTargetAction.Desired: unknown field",
            "world.endpoints[0].variants[0].autoscaling.scheduledActions[1].ScalableTargetAction.MinCapacity: must be 0–1000 (got -1)",
            "world.endpoints[0].variants[0].autoscaling.scheduledActions[2].ScheduledActionName: duplicate name a"));
  }

  @Test
  void seededScheduledActionsAreCreatedAndReportedByName() {
    Scenario scenario = Scenario.parse(withAutoscaling("""
        {"minCapacity": 2, "maxCapacity": 6, "scheduledActions": [
          {"ScheduledActionName": "morning-peak", "Schedule": "cron(0 8 * * ? *)", "Timezone": "Europe/Berlin",
           "ScalableTargetAction": {"MinCapacity": 4, "MaxCapacity": 8}}]}"""), "s.json", ROOT);

    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      ScenarioReport report = ScenarioRunner.runToEnd(scenario, runtime, System.nanoTime());

      assertThat(report.json().path("endpoints").path("fraud-scoring-prod").path("variants").get(0)
          .path("autoscaling").path("scheduledActions")).isEqualTo(LocalJson.parse("[\"morning-peak\"]"));
    }
  }

  private static ObjectNode withAutoscaling(String autoscaling) {
    ObjectNode scenario = (ObjectNode) LocalJson.read(ROOT.resolve("events/scenarios/happy-path.json"));
    ((ObjectNode) scenario.path("world").path("endpoints").get(0).path("variants").get(0))
        .set("autoscaling", LocalJson.parse(autoscaling));
    scenario.putArray("timeline");
    return scenario;
  }
}
