package dev.poolshift.local.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.cloudwatch.AlarmStateValue;
import dev.poolshift.local.cloudwatch.CloudWatch;
import dev.poolshift.local.cloudwatch.MetricKey;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.InstanceView;
import dev.poolshift.local.sfn.Execution;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Small rehearsals: each timeline action that changes the world takes effect at its virtual
 * moment, and an entry waiting for a workflow moment runs when that moment comes.
 */
class TimelineRehearsalTest {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final String ENDPOINT = "fraud-scoring-prod";
  static final String LATENCY_ALARM = "fraud-scoring-prod-model-latency-p99";

  /**
   * fraud-scoring v1 on instance pools: the region has two ml.g5.2xlarge, so two of the four
   * instances run on priority 2 (ml.g5.4xlarge). No rollout: the world only.
   */
  private static ObjectNode pooledWorld(String timeline) {
    ObjectNode s = (ObjectNode) LocalJson.parse("""
        {
          "name": "pooled",
          "world": {
            "modelPackageGroups": [{"name": "fraud-scoring", "versions": [{"approval": "Approved"}]}],
            "endpoints": [{
              "name": "fraud-scoring-prod",
              "tags": {"poolshift:managed": "true", "team": "risk"},
              "variants": [{
                "modelPackage": "fraud-scoring/1",
                "instancePools": [{"instanceType": "ml.g5.2xlarge", "priority": 1},
                                  {"instanceType": "ml.g5.4xlarge", "priority": 2}],
                "instanceCount": 4
              }]
            }],
            "profiles": {"fraud-scoring": "events/profiles/fraud-scoring.json"},
            "alarms": [{
              "AlarmName": "fraud-scoring-prod-model-latency-p99",
              "Namespace": "AWS/SageMaker", "MetricName": "ModelLatency",
              "Dimensions": [{"Name": "EndpointName", "Value": "fraud-scoring-prod"},
                             {"Name": "VariantName", "Value": "AllTraffic"}],
              "ExtendedStatistic": "p99", "Period": 60, "EvaluationPeriods": 5, "DatapointsToAlarm": 3,
              "Threshold": 100000, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"
            }]
          },
          "capacity": {"ml.g5.2xlarge": [{"at": 0, "available": 2}]},
          "traffic": {"endpoints": {"fraud-scoring-prod": {"requestsPerMinute": 6000}},
                      "models": {"fraud-scoring/1": {"error5xxRate": 0}}}
        }""");
    s.set("timeline", LocalJson.parse(timeline));
    return s;
  }

  private static Scenario parse(ObjectNode json) {
    return Scenario.parse(json, "test.json", ROOT);
  }

  private static LocalRuntime start(Scenario scenario) {
    return ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()));
  }

  private static Instant at(Scenario scenario, double seconds) {
    return scenario.start().plusMillis(Math.round(seconds * 1000));
  }

  /** One-minute sums of {@code metric} on the pooled variant's instance type, by minute from the start. */
  private static Map<Long, Double> perMinute(LocalRuntime runtime, Scenario scenario, String metric, String type,
      double untilSeconds) {
    MetricKey key = MetricKey.of("AWS/SageMaker", metric, "EndpointName", ENDPOINT, "VariantName", "AllTraffic",
        "InstanceType", type);
    CloudWatch.StatisticsResult r = runtime.cloudWatch().getMetricStatistics(key, scenario.start(),
        at(scenario, untilSeconds), 60, List.of("Sum"), List.of(), null);
    return r.datapoints().stream().collect(Collectors.toMap(
        d -> Duration.between(scenario.start(), d.timestamp()).toMinutes(), d -> d.statistics().get("Sum")));
  }

  @Test
  void aFiveXxRateSetOnOneInstanceTypeShowsInThatTypesMetricsOnlyFromThatMomentOn() {
    Scenario scenario = parse(pooledWorld("""
        [{"at": 1800, "traffic": {"models": {"fraud-scoring/1":
            {"instanceTypes": {"ml.g5.4xlarge": {"error5xxRate": 0.1}}}}}}]"""));

    try (LocalRuntime runtime = start(scenario)) {
      ScenarioRunner.play(scenario, runtime);
      runtime.simulation().advance(Duration.ofSeconds(3610));

      Map<Long, Double> fallbackType = perMinute(runtime, scenario, "Invocation5XXErrors", "ml.g5.4xlarge", 3600);
      Map<Long, Double> firstType = perMinute(runtime, scenario, "Invocation5XXErrors", "ml.g5.2xlarge", 3600);
      assertThat(fallbackType).hasSize(60);
      fallbackType.forEach((minute, errors) -> {
        if (minute < 30) {
          assertThat(errors).as("5xx on ml.g5.4xlarge in minute %d", minute).isZero();
        } else {
          // Half of 6000 requests a minute, 10% failing: about 300.
          assertThat(errors).as("5xx on ml.g5.4xlarge in minute %d", minute).isBetween(200.0, 400.0);
        }
      });
      assertThat(firstType.values()).hasSize(60).containsOnly(0.0);
    }
  }

  @Test
  void aTrafficChangeLeavesWhatWasPublishedBeforeItAsItWas() {
    Scenario unchanged = parse(pooledWorld("[]"));
    Scenario changed = parse(pooledWorld("""
        [{"at": 1830, "traffic": {"endpoints": {"fraud-scoring-prod": {"requestsPerMinute": 600}},
            "models": {"fraud-scoring/1": {"error5xxRate": 0.2, "latencyP50Ms": 45, "latencyP99Ms": 150}}}}]"""));

    Map<Long, Double> before;
    Map<Long, Double> after;
    Map<Long, Double> errorsAfter;
    try (LocalRuntime runtime = start(unchanged)) {
      ScenarioRunner.play(unchanged, runtime);
      runtime.simulation().advance(Duration.ofSeconds(2410));
      before = perMinute(runtime, unchanged, "Invocations", "ml.g5.2xlarge", 2400);
    }
    try (LocalRuntime runtime = start(changed)) {
      ScenarioRunner.play(changed, runtime);
      runtime.simulation().advance(Duration.ofSeconds(2410));
      after = perMinute(runtime, changed, "Invocations", "ml.g5.2xlarge", 2400);
      errorsAfter = perMinute(runtime, changed, "Invocation5XXErrors", "ml.g5.2xlarge", 2400);
    }

    // Minutes 0-29 ended before the change at 30:30: the same seed drew the same requests.
    for (long minute = 0; minute < 30; minute++) {
      assertThat(after.get(minute)).as("minute %d", minute).isEqualTo(before.get(minute));
    }
    // Minute 30 spans the change: 30 s at 6000 a minute, then 30 s at 600, half of it on this type;
    // only the requests after the change fail (20% of about 150), none of the 1500 before it.
    assertThat(after.get(30L)).isCloseTo(1500 + 150, within(150.0));
    assertThat(errorsAfter.get(29L)).isZero();
    assertThat(errorsAfter.get(30L)).isBetween(10.0, 60.0);
    assertThat(errorsAfter.get(31L)).isBetween(30.0, 100.0);
    // From minute 31 on, 600 a minute, half on each type.
    for (long minute = 31; minute < 40; minute++) {
      assertThat(before.get(minute)).as("minute %d unchanged", minute).isCloseTo(3000, within(300.0));
      assertThat(after.get(minute)).as("minute %d changed", minute).isCloseTo(300, within(80.0));
    }
  }

  @Test
  void anEndpointsRateSetAtZeroReplacesTheScenarioRateFromTheStart() {
    Scenario scenario = parse(pooledWorld("""
        [{"at": 0, "traffic": {"endpoints": {"fraud-scoring-prod": {"requestsPerMinute": 300}}}}]"""));

    try (LocalRuntime runtime = start(scenario)) {
      ScenarioRunner.play(scenario, runtime);
      runtime.simulation().advance(Duration.ofSeconds(1210));

      Map<Long, Double> first = perMinute(runtime, scenario, "Invocations", "ml.g5.2xlarge", 1200);
      Map<Long, Double> second = perMinute(runtime, scenario, "Invocations", "ml.g5.4xlarge", 1200);
      double total = first.values().stream().mapToDouble(Double::doubleValue).sum()
          + second.values().stream().mapToDouble(Double::doubleValue).sum();
      assertThat(total).isCloseTo(20 * 300, within(300.0));
    }
  }

  @Test
  void capacityThatReturnsWhileAnUpdateWaitsLetsItsProvisioningCompleteAndRunningFleetsKeepTheirUnits() {
    ObjectNode json = pooledWorld("""
        [{"when": {"endpointStatus": "Updating", "endpoint": "fraud-scoring-prod", "afterSeconds": 300},
          "capacity": {"ml.g6.2xlarge": 4, "ml.g5.2xlarge": 0}}]""");
    json.set("capacity", LocalJson.parse("""
        {"ml.g5.2xlarge": [{"at": 0, "available": 2}], "ml.g5.4xlarge": [{"at": 0, "available": 2}],
         "ml.g6.2xlarge": [{"at": 0, "available": 0}], "ml.g6.4xlarge": [{"at": 0, "available": 0}]}"""));
    Scenario scenario = parse(json);

    try (LocalRuntime runtime = start(scenario)) {
      ScenarioRunner.Playback playback = ScenarioRunner.play(scenario, runtime);
      runtime.simulation().advance(Duration.ofSeconds(60));
      // An operator moves the endpoint onto g6 pools; the region has none yet, so the update waits.
      String model = runtime.sageMaker().requireEndpoint(ENDPOINT).variants().get(0).servingInstances().get(0)
          .modelName();
      runtime.sageMaker().invoke("CreateEndpointConfig", (ObjectNode) LocalJson.parse("""
          {"EndpointConfigName": "fraud-scoring-prod-g6", "ProductionVariants": [{
            "VariantName": "AllTraffic", "ModelName": "%s", "InitialInstanceCount": 4,
            "InstancePools": [{"InstanceType": "ml.g6.2xlarge", "Priority": 1},
                              {"InstanceType": "ml.g6.4xlarge", "Priority": 2}],
            "VariantInstanceProvisionTimeoutInSeconds": 1800}]}""".formatted(model)));
      runtime.sageMaker().invoke("UpdateEndpoint", LocalJson.object().put("EndpointName", ENDPOINT)
          .put("EndpointConfigName", "fraud-scoring-prod-g6"));

      runtime.simulation().advance(Duration.ofSeconds(299));
      assertThat(runtime.sageMaker().requireEndpoint(ENDPOINT).status()).isEqualTo("Updating");
      assertThat(runtime.sageMaker().heldInstances("ml.g6.2xlarge")).isZero();

      runtime.simulation().advance(Duration.ofSeconds(2));
      assertThat(playback.ran()).singleElement().satisfies(r ->
          assertThat(r.at()).isEqualTo(at(scenario, 360)));
      // g5 capacity is gone, but the old fleet still holds (and serves on) its two g5.2xlarge.
      assertThat(runtime.sageMaker().heldInstances("ml.g5.2xlarge")).isEqualTo(2);
      assertThat(runtime.sageMaker().requireEndpoint(ENDPOINT).configName()).isEqualTo(ENDPOINT + "-config-initial");

      runtime.simulation().runUntil(() -> runtime.sageMaker().requireEndpoint(ENDPOINT).status().equals("InService"),
          at(scenario, 3600));
      EndpointView done = runtime.sageMaker().requireEndpoint(ENDPOINT);
      assertThat(done.configName()).isEqualTo("fraud-scoring-prod-g6");
      assertThat(done.variants().get(0).servingInstances()).extracting(InstanceView::instanceType)
          .containsOnly("ml.g6.2xlarge").hasSize(4);
      // Placed at the first retry after 360 s (every 30 s), well within the 1800 s provision timeout.
      Instant inService = runtime.sageMaker().visibleHistory(ENDPOINT).getLast().at();
      assertThat(inService).isAfter(at(scenario, 360)).isBefore(at(scenario, 60 + 1800));
      assertThat(runtime.sageMaker().heldInstances("ml.g5.2xlarge")).isZero();
    }
  }

  @Test
  void anEntryWaitingForAStateRunsAtItsNthEntryPlusTheDelayAndOneWhoseMomentNeverComesDoesNotHoldTheRun() {
    ObjectNode json = (ObjectNode) LocalJson.read(ROOT.resolve("events/scenarios/happy-path.json"));
    ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("timeline")).addAll(List.of(
        LocalJson.parse("""
            {"when": {"stateEntered": "Bake under alarms", "afterSeconds": 30},
             "updateEndpointTags": {"endpoint": "fraud-scoring-prod", "set": {"first-bake": "seen"}}}"""),
        LocalJson.parse("""
            {"when": {"stateEntered": "Bake under alarms", "execution": "fraud-scoring-v2*", "occurrence": 2},
             "updateEndpointTags": {"endpoint": "fraud-scoring-prod", "set": {"second-bake": "seen"}}}"""),
        LocalJson.parse("""
            {"when": {"stateEntered": "Roll back"}, "capacity": {"ml.g5.4xlarge": 0}}""")));
    Scenario scenario = parse(json);

    try (LocalRuntime runtime = start(scenario)) {
      ScenarioRunner.Playback playback = ScenarioRunner.play(scenario, runtime);
      ScenarioReport report = ScenarioRunner.finish(scenario, runtime, playback, System.nanoTime());

      assertThat(report.json().path("executions")).singleElement()
          .satisfies(x -> assertThat(x.path("outcome").asText()).isEqualTo("PROMOTED"));
      List<Instant> bakes = enteredAt(runtime, "Bake under alarms");
      assertThat(bakes).hasSizeGreaterThanOrEqualTo(2);
      assertThat(playback.ran()).filteredOn(r -> r.event().when() != null)
          .extracting(r -> r.event().index(), ScenarioRunner.Playback.Ran::at)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(1, bakes.get(0).plusSeconds(30)),
              org.assertj.core.groups.Tuple.tuple(2, bakes.get(1)));
      assertThat(playback.waiting()).extracting(Scenario.Event::index).containsExactly(3);
      assertThat(tags(runtime)).containsEntry("first-bake", "seen").containsEntry("second-bake", "seen")
          .containsEntry("poolshift:managed", "true");
      // The report lists the entries at the time they ran; the one that never ran is left out.
      assertThat(report.text()).contains("timeline: updateEndpointTags").doesNotContain("timeline: capacity");
    }
  }

  @Test
  void anEntryWaitingForAnAlarmRunsWhenTheAlarmGoesToThatStateAndTheWorldActionsTakeEffect() {
    Scenario scenario = parse(pooledWorld("""
        [{"at": 100, "setAlarmState": {"alarm": "fraud-scoring-prod-model-latency-p99", "state": "ALARM"}},
         {"when": {"alarmState": "ALARM", "alarm": "fraud-scoring-prod-model-*", "afterSeconds": 5},
          "editAlarm": {"AlarmName": "fraud-scoring-prod-model-latency-p99", "Threshold": 150000,
                        "EvaluationPeriods": 3, "DatapointsToAlarm": 2}},
         {"at": 200, "removeTag": {"endpoint": "fraud-scoring-prod", "key": "poolshift:managed"}},
         {"at": 210, "editProfile": {"group": "fraud-scoring", "merge": {"canarySteps": [25, 100], "bakeSeconds": null}}},
         {"at": 220, "putAlarm": {"AlarmName": "fraud-scoring-prod-5xx", "Namespace": "AWS/SageMaker",
            "MetricName": "Invocation5XXErrors", "Dimensions": [{"Name": "EndpointName", "Value": "fraud-scoring-prod"},
            {"Name": "VariantName", "Value": "AllTraffic"}], "Statistic": "Average", "Period": 60,
            "EvaluationPeriods": 2, "Threshold": 0.01, "ComparisonOperator": "GreaterThanThreshold"}},
         {"at": 230, "deleteAlarm": "fraud-scoring-prod-model-latency-p99"},
         {"at": 240, "deleteEndpoint": "fraud-scoring-prod"}]"""));

    try (LocalRuntime runtime = start(scenario)) {
      ScenarioRunner.Playback playback = ScenarioRunner.play(scenario, runtime);
      runtime.simulation().advance(Duration.ofSeconds(106));

      assertThat(playback.ran()).filteredOn(r -> r.event().action().equals("editAlarm")).singleElement()
          .satisfies(r -> assertThat(r.at()).isEqualTo(at(scenario, 105)));
      var edited = runtime.cloudWatch().alarm(LATENCY_ALARM).orElseThrow();
      assertThat(edited.definition().threshold()).isEqualTo(150000.0);
      assertThat(edited.definition().evaluationPeriods()).isEqualTo(3);
      assertThat(edited.definition().extendedStatistic()).isEqualTo("p99");
      assertThat(edited.state()).as("PutMetricAlarm keeps the state").isEqualTo(AlarmStateValue.ALARM);

      runtime.simulation().advance(Duration.ofSeconds(100));
      assertThat(tags(runtime)).doesNotContainKey("poolshift:managed").containsEntry("team", "risk");

      runtime.simulation().advance(Duration.ofSeconds(10));
      JsonNode profile = LocalJson.parse(runtime.ssm().value("/poolshift/profiles/fraud-scoring"));
      assertThat(profile.path("canarySteps")).isEqualTo(LocalJson.parse("[25, 100]"));
      assertThat(profile.has("bakeSeconds")).isFalse();
      assertThat(profile.path("endpointName").asText()).isEqualTo(ENDPOINT);

      runtime.simulation().advance(Duration.ofSeconds(21));
      assertThat(runtime.cloudWatch().alarm("fraud-scoring-prod-5xx")).isPresent();
      assertThat(runtime.cloudWatch().alarm(LATENCY_ALARM)).isEmpty();

      runtime.simulation().advance(Duration.ofSeconds(10));
      assertThat(runtime.sageMaker().requireEndpoint(ENDPOINT).status()).isEqualTo("Deleting");
      runtime.simulation().advance(Duration.ofMinutes(5));
      assertThat(runtime.sageMaker().endpoint(ENDPOINT)).isEmpty();
      assertThat(playback.done()).isTrue();
    }
  }

  @Test
  void anActionTheServiceRefusesAtItsMomentStopsTheRunNamingTheEntry() {
    Scenario scenario = parse(pooledWorld("""
        [{"at": 30, "deleteAlarm": "fraud-scoring-prod-model-latency-p99"},
         {"at": 60, "editAlarm": {"AlarmName": "fraud-scoring-prod-model-latency-p99", "Threshold": 1}}]"""));

    assertThatThrownBy(() -> ScenarioRunner.run(scenario)).isInstanceOf(ScenarioException.class)
        .hasMessage("timeline: timeline[1].editAlarm.AlarmName: no alarm named fraud-scoring-prod-model-latency-p99"
            + " at this time");
  }

  private static List<Instant> enteredAt(LocalRuntime runtime, String state) {
    return runtime.stepFunctions().executions().stream().map(Execution::history).flatMap(List::stream)
        .filter(h -> h.type().endsWith("StateEntered") && state.equals(h.details().path("name").asText()))
        .map(HistoryEvent::timestamp).sorted().toList();
  }

  private static Map<String, String> tags(LocalRuntime runtime) {
    String arn = runtime.sageMaker().requireEndpoint(ENDPOINT).arn();
    JsonNode list = runtime.sageMaker().invoke("ListTags", LocalJson.object().put("ResourceArn", arn)).path("Tags");
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    list.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
    return tags;
  }
}
