package dev.poolshift.local.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The timeline's {@code when} and the actions that change the world mid-rollout are parsed
 * strictly: every problem names its field, and names the template or world lacks are refused
 * before the run.
 */
class TimelineFormatTest {
  static final Path ROOT = Path.of("").toAbsolutePath();

  private static ObjectNode withTimeline(String timeline) {
    ObjectNode scenario = (ObjectNode) LocalJson.read(ROOT.resolve("events/scenarios/happy-path.json"));
    scenario.set("timeline", LocalJson.parse(timeline));
    return scenario;
  }

  private static void assertProblems(ObjectNode scenario, String... expected) {
    assertThatThrownBy(() -> Scenario.parse(scenario, "s.json", ROOT)).isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(expected));
  }

  @Test
  void everyWhenProblemNamesItsField() {
    ObjectNode scenario = withTimeline("""
        [{"at": 10, "when": {"stateEntered": "Bake under alarms"}, "deleteAlarm": "a"},
         {"when": {"stateEntered": "Bake under alarms", "alarm": "a"}, "deleteAlarm": "a"},
         {"when": {"endpointStatus": "Busy", "endpoint": "fraud-scoring-prod", "occurrence": 0}, "deleteAlarm": "a"},
         {"when": {"alarmState": "ALARM", "afterSeconds": -5}, "deleteAlarm": "a"},
         {"when": {"alarmState": "ALARM", "stateEntered": "x"}, "deleteAlarm": "a"},
         {"when": {"endpointStatus": "Updating", "endpoint": "fraud-*"}, "deleteAlarm": "a"},
         {"deleteAlarm": "a"}]""");

    assertProblems(scenario,
        "timeline[0]: set exactly one of at and when",
        "timeline[1].when.alarm: unknown field (allowed: [afterSeconds, execution, occurrence, stateEntered])",
        "timeline[2].when.endpointStatus: must be one of [Creating, Deleting, Failed, InService, OutOfService,"
            + " RollingBack, SystemUpdating, UpdateRollbackFailed, Updating] (got Busy)",
        "timeline[2].when.occurrence: must be an integer 1–10000 (got 0)",
        "timeline[3].when.alarm: required",
        "timeline[3].when.afterSeconds: must be a number 0–31622400 (got -5)",
        "timeline[4].when: needs exactly one of alarmState, endpointStatus, stateEntered (got [stateEntered,"
            + " alarmState])",
        "timeline[5].when.endpoint: names one endpoint (no *)",
        "timeline[6].at: required");
  }

  @Test
  void everyWorldActionProblemNamesItsField() {
    ObjectNode scenario = withTimeline("""
        [{"at": 1, "capacity": {"g5.2xlarge": 2, "ml.g5.4xlarge": -1, "ml.g6.2xlarge": "lots"}},
         {"at": 2, "deleteEndpoint": "elsewhere-prod"},
         {"at": 3, "updateEndpointTags": {"endpoint": "fraud-scoring-prod", "set": {"owner": 7}, "remove": "x"}},
         {"at": 4, "updateEndpointTags": {"endpoint": "fraud-scoring-prod"}},
         {"at": 5, "removeTag": {"endpoint": "fraud-scoring-prod", "tag": "poolshift:managed"}},
         {"at": 6, "deleteAlarm": {"name": "a"}},
         {"at": 7, "putAlarm": {"Threshold": 1, "Colour": "red"}},
         {"at": 8, "editAlarm": {"AlarmName": "a", "Threshold": "high", "Statistic": "Sum"}},
         {"at": 9, "editProfile": {"group": "churn", "replace": "events/profiles/none.json", "merge": {}}},
         {"at": 10, "editProfile": {"group": "fraud-scoring", "replace": "events/profiles/none.json"}},
         {"at": 11, "editProfile": {"group": "fraud-scoring", "merge": [1]}}]""");

    assertProblems(scenario,
        "timeline[0].capacity.g5.2xlarge: must be an ML instance type such as ml.g5.2xlarge",
        "timeline[0].capacity.ml.g5.4xlarge: must be an integer 0–100000 or \"unlimited\" (got -1)",
        "timeline[0].capacity.ml.g6.2xlarge: must be an integer 0–100000 or \"unlimited\" (got \"lots\")",
        "timeline[1].deleteEndpoint: no endpoint elsewhere-prod in world.endpoints",
        "timeline[2].updateEndpointTags.set.owner: must be a string (tag values are strings)",
        "timeline[2].updateEndpointTags.remove: must be an array of tag keys",
        "timeline[3].updateEndpointTags: set or remove at least one tag",
        "timeline[4].removeTag.tag: unknown field (allowed: [endpoint, key])",
        "timeline[4].removeTag.key: required",
        "timeline[5].deleteAlarm.name: unknown field (allowed: [alarm])",
        "timeline[5].deleteAlarm.alarm: required",
        "timeline[6].putAlarm.AlarmName: required",
        "timeline[6].putAlarm.Colour: unknown field (PutMetricAlarm members)",
        "timeline[7].editAlarm.Statistic: unknown field (allowed: [AlarmDescription, AlarmName,"
            + " ComparisonOperator, DatapointsToAlarm, EvaluationPeriods, Period, Threshold, TreatMissingData])",
        "timeline[7].editAlarm.Threshold: must be a number",
        "timeline[8].editProfile.group: no model package group or profile churn in world",
        "timeline[8].editProfile: set exactly one of replace (the whole profile) and merge (a JSON merge patch)",
        "timeline[9].editProfile.replace: file events/profiles/none.json not found",
        "timeline[10].editProfile.merge: must be an object (a JSON merge patch)");
  }

  @Test
  void everyTrafficProblemNamesItsField() {
    ObjectNode scenario = withTimeline("""
        [{"at": 1, "traffic": {}},
         {"at": 2, "traffic": {"endpoints": {"elsewhere-prod": {"requestsPerMinute": 10}},
                               "models": {"fraud-scoring/9": {"error5xxRate": 0.1}}}},
         {"at": 3, "traffic": {"endpoints": {"fraud-scoring-prod": {"rpm": 10}}}},
         {"at": 4, "traffic": {"models": {"fraud-scoring/2": {"error5xxRate": 1.5, "latencyP50Ms": 90,
                               "latencyP99Ms": 40, "instanceTypes": {"g5": {"errorRate": 0.1}}}}}},
         {"at": 5, "traffic": {"models": {"fraud-scoring/2": {"error5xxRate": 0.7, "error4xxRate": 0.6}}}},
         {"at": 6, "traffic": {"models": {"fraud-scoring": {}}}}]""");

    assertProblems(scenario,
        "timeline[0].traffic: change endpoints or models",
        "timeline[1].traffic.endpoints.elsewhere-prod: no endpoint elsewhere-prod in world.endpoints",
        "timeline[1].traffic.models.fraud-scoring/9: no model package version fraud-scoring/9 in"
            + " world.modelPackageGroups",
        "timeline[2].traffic.endpoints.fraud-scoring-prod.rpm: unknown field (allowed: [requestsPerMinute])",
        "timeline[2].traffic.endpoints.fraud-scoring-prod.requestsPerMinute: required",
        "timeline[3].traffic.models.fraud-scoring/2.error5xxRate: must be 0–1 (got 1.5)",
        "timeline[3].traffic.models.fraud-scoring/2.latencyP99Ms: must be >= latencyP50Ms",
        "timeline[3].traffic.models.fraud-scoring/2.instanceTypes.g5: must be an ML instance type such as"
            + " ml.g5.2xlarge",
        "timeline[3].traffic.models.fraud-scoring/2.instanceTypes.g5.errorRate: unknown field (allowed:"
            + " [error4xxRate, error5xxRate, latencyP50Ms, latencyP99Ms])",
        "timeline[4].traffic.models.fraud-scoring/2.error4xxRate: error5xxRate + error4xxRate must be at most 1",
        "timeline[5].traffic.models.fraud-scoring: must be <group>/<version>, e.g. fraud-scoring/2",
        "timeline[5].traffic.models.fraud-scoring: change at least one of [error4xxRate, error5xxRate,"
            + " latencyP50Ms, latencyP99Ms] or instanceTypes");
  }

  @Test
  void entriesWaitingForAMomentComeAfterTheTimedOnesAndKeepTheirFilePosition() {
    Scenario scenario = Scenario.parse(withTimeline("""
        [{"when": {"stateEntered": "Bake under alarms", "occurrence": 2, "afterSeconds": 30},
          "removeTag": {"endpoint": "fraud-scoring-prod", "key": "poolshift:managed"}},
         {"at": 60, "approve": "fraud-scoring/2"}]"""), "s.json", ROOT);

    assertThat(scenario.timeline()).extracting(Scenario.Event::action).containsExactly("approve", "removeTag");
    Scenario.Event waiting = scenario.timeline().get(1);
    assertThat(waiting.index()).isZero();
    assertThat(waiting.at()).isNaN();
    assertThat(waiting.when()).isEqualTo(new TimelineTrigger(TimelineTrigger.Kind.STATE_ENTERED, "Bake under alarms",
        null, 2, 30));
    assertThat(waiting.when().describe()).isEqualTo("the 2nd time any execution enters \"Bake under alarms\", + 30 s");
  }

  @Test
  void statesTheTemplateDoesNotHaveAndPutAlarmsCloudWatchWouldRefuseAreRefusedBeforeTheRun() {
    ObjectNode scenario = withTimeline("""
        [{"when": {"stateEntered": "Bake under alarm"}, "deleteAlarm": "a"},
         {"at": 5, "putAlarm": {"AlarmName": "p99", "Namespace": "AWS/SageMaker", "MetricName": "ModelLatency",
           "ExtendedStatistic": "p99", "Period": 45, "EvaluationPeriods": 1, "Threshold": 1,
           "ComparisonOperator": "GreaterThanThreshold"}}]""");

    assertThatThrownBy(() -> ScenarioRunner.run(Scenario.parse(scenario, "s.json", ROOT)))
        .isInstanceOf(ScenarioException.class)
        .satisfies(e -> assertThat(((ScenarioException) e).problems()).satisfiesExactly(
            p -> assertThat(p).isEqualTo("timeline[0].when.stateEntered: no state \"Bake under alarm\" in the"
                + " template's state machines"),
            p -> assertThat(p).startsWith("timeline[1].putAlarm: ValidationError: ")));
  }

  @Test
  void aMergePatchMergesObjectsRemovesNullsAndReplacesEverythingElse() {
    var target = LocalJson.parse("""
        {"canary": {"steps": [10, 50, 100], "bakeMinutes": 10}, "alarms": {"p99": 100}, "owner": "risk"}""");
    var patch = LocalJson.parse("""
        {"canary": {"steps": [25, 100]}, "alarms": null, "owner": "fraud", "notify": {"topic": "t"}}""");

    assertThat(TimelineActions.mergePatch(target, patch)).isEqualTo(LocalJson.parse("""
        {"canary": {"steps": [25, 100], "bakeMinutes": 10}, "owner": "fraud", "notify": {"topic": "t"}}"""));
  }
}
