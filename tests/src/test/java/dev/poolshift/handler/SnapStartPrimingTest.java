package dev.poolshift.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioRunner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Priming runs before SnapStart's snapshot in production: it may exercise every SDK path of a
 * function, but must change nothing anywhere. Run here against the local services.
 */
class SnapStartPrimingTest {

  @Test
  void everyFunctionsPrimingReadsFindNothingAndChangeNothing() {
    Scenario scenario = Scenario.load(Path.of("events/scenarios/happy-path.json"));
    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()).withSchedules(false))) {
      Map<String, Function<AwsAdapters, SnapStartPriming>> primings = Map.of(
          "RolloutStepsFunction", SnapStartPriming::forRolloutSteps,
          "ApprovalIntakeFunction", SnapStartPriming::forApprovalIntake,
          "EndpointEventsFunction", SnapStartPriming::forEndpointEvents,
          "AlarmEventsFunction", SnapStartPriming::forAlarmEvents,
          "ReconcilerFunction", SnapStartPriming::forReconciler);
      int callsBefore = runtime.sageMaker().mutations().size();

      primings.forEach((function, priming) -> {
        Map<String, String> env = new HashMap<>(runtime.template().function(function).environment());
        env.put("AWS_REGION", "us-east-1");
        priming.apply(AwsAdapters.fromEnvironment(env)).prime();
      });

      assertThat(runtime.sageMaker().mutations()).hasSize(callsBefore);
      assertThat(runtime.dynamoDb().call("Scan", LocalJson.object().put("TableName",
          runtime.template().table("StateTable").name())).path("Items")).isEmpty();
      assertThat(runtime.sns().published()).isEmpty();
      assertThat(runtime.stepFunctions().executions()).isEmpty();
      assertThat(runtime.cloudWatch().alarms()).hasSize(1).as("only the scenario's own gate alarm");
    }
  }
}
