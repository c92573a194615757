package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.cloudwatch.Dashboards;
import dev.poolshift.local.cloudwatch.EmbeddedMetrics;
import dev.poolshift.local.cloudwatch.MetricKey;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.LogLine;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.rollout.port.RolloutMetrics.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Poolshift's own metrics and dashboards as a rehearsal shows them: the EMF lines the functions
 * write are valid embedded metric format with the documented names, CloudWatch extracts them, and
 * every shipped scenario leaves a dashboard that names each instance type its fleets ran on.
 */
class ObservabilityRehearsalTest {
  /** Takes minutes of wall time (the SDK's back-off sleeps in real time); every other scenario runs. */
  private static final Set<String> SLOW = Set.of("plan-throttled-to-failure.json");

  @Test
  @DisplayName("a happy path writes valid EMF: rollout started, verdicts, ended PROMOTED, seconds per instance type")
  void happyPathEmfLinesAreValidWithTheDocumentedNames() {
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {})) {
      r.finish();

      List<String> emf = emfLines(r);
      assertThat(emf).as("EMF lines").isNotEmpty();
      assertThat(r.runtime().embeddedMetrics().rejections()).as("EMF lines CloudWatch would refuse").isEmpty();
      Set<String> names = new TreeSet<>();
      for (String line : emf) {
        JsonNode root = LocalJson.parse(line);
        JsonNode directive = root.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(root.path("_aws").path("Timestamp").isNumber()).isTrue();
        assertThat(directive.path("Namespace").asText()).isEqualTo(Names.NAMESPACE);
        for (JsonNode set : directive.path("Dimensions")) {
          for (JsonNode dim : set) {
            assertThat(dim.asText()).as("dimension").isIn(Names.OUTCOME, Names.VERDICT, Names.INSTANCE_TYPE);
            assertThat(root.path(dim.asText()).isTextual()).isTrue();
          }
        }
        for (JsonNode metric : directive.path("Metrics")) {
          names.add(metric.path("Name").asText());
          assertThat(root.path(metric.path("Name").asText()).isNumber()).as("value of " + metric).isTrue();
          assertThat(metric.path("Unit").asText()).isEqualTo(Names.ALL.get(metric.path("Name").asText()));
        }
        if (!root.has(Names.SAGEMAKER_CALLS) || root.has("endpointName")) {
          // The plan step's payload names no endpoint yet; every other line does.
          assertThat(root.path("endpointName").asText()).as("endpoint as a property").isEqualTo(Rehearsal.ENDPOINT);
        }
        assertThat(root.path("executionName").asText()).isNotEmpty();
      }
      assertThat(Names.ALL).containsKeys(names.toArray(String[]::new));
      assertThat(names).contains(Names.ROLLOUTS_STARTED, Names.ROLLOUTS_ENDED, Names.ROLLOUT_SECONDS,
          Names.STEP_VERDICTS, Names.SECONDS_ON_INSTANCE_TYPE, Names.ESCALATIONS, Names.ROLLBACKS_FAILED,
          Names.SAGEMAKER_CALLS);

      List<EmbeddedMetrics.Extracted> ended = extracted(r, Names.ROLLOUTS_ENDED);
      assertThat(ended).singleElement().satisfies(e ->
          assertThat(e.dimensions()).containsExactly(new MetricKey.Dimension(Names.OUTCOME, "PROMOTED")));
      assertThat(extracted(r, Names.STEP_VERDICTS)).extracting(e -> e.dimensions().get(0).value())
          .contains("CONTINUE", "PROMOTE");
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint(Rehearsal.ENDPOINT);
      Set<String> finalTypes = new TreeSet<>();
      endpoint.variants().forEach(v -> v.servingInstances().forEach(i -> finalTypes.add(i.instanceType())));
      assertThat(extracted(r, Names.SECONDS_ON_INSTANCE_TYPE)).extracting(e -> e.dimensions().get(0).value())
          .containsAll(finalTypes);
      double sageMakerCalls = extracted(r, Names.SAGEMAKER_CALLS).stream().mapToDouble(e -> e.values().get(0)).sum();
      assertThat(sageMakerCalls).as("SageMaker calls of the rollout's steps")
          .isGreaterThanOrEqualTo(r.accepted(null).size()).isPositive();
      assertThat(r.runtime().cloudWatch().listMetrics(Names.NAMESPACE, Names.ROLLOUTS_STARTED, List.of(), false,
          null).metrics()).as("queryable like any metric").isNotEmpty();
    }
  }

  @Test
  @DisplayName("log lines carry the execution name as Powertools' correlation id, and lists as JSON arrays")
  void logLinesCarryTheCorrelationIdAndListsAsArrays() {
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {})) {
      r.finish();

      String execution = r.onlyExecution().path("name").asText();
      List<JsonNode> locked = r.logsContaining("RolloutStepsFunction", "endpoint locked for the rollout").stream()
          .map(l -> LocalJson.parse(l.text())).toList();
      assertThat(locked).singleElement().satisfies(line -> {
        assertThat(line.path("correlation_id").asText()).isEqualTo(execution);
        assertThat(line.path("alarms").isArray()).as("alarms as a JSON array: " + line).isTrue();
        assertThat(line.path("alarms")).isNotEmpty();
      });
      List<JsonNode> events = r.logs("EndpointEventsFunction").stream().filter(l -> l.text().startsWith("{\"level\""))
          .map(l -> LocalJson.parse(l.text())).toList();
      assertThat(events).isNotEmpty().allSatisfy(line ->
          assertThat(line.path("correlation_id").asText()).as("event id on " + line).isNotEmpty());
    }
  }

  @Test
  @DisplayName("a bad model: T_act and alarm-to-baseline are measured, the rollout ends ROLLED_BACK, nothing escalated")
  void badModelMeasuresTheReactionToItsAlarm() {
    try (Rehearsal r = Rehearsal.of("bad-model.json", s -> {})) {
      r.finish();

      assertThat(r.runtime().embeddedMetrics().rejections()).isEmpty();
      assertThat(extracted(r, Names.ROLLOUTS_ENDED)).singleElement().satisfies(e ->
          assertThat(e.dimensions().get(0).value()).isEqualTo("ROLLED_BACK"));
      assertThat(extracted(r, Names.ALARM_REACTION_SECONDS)).singleElement()
          .satisfies(e -> assertThat(e.values().get(0)).isGreaterThanOrEqualTo(0.0).isLessThan(600.0));
      double reaction = extracted(r, Names.ALARM_REACTION_SECONDS).get(0).values().get(0);
      assertThat(extracted(r, Names.ALARM_TO_BASELINE_SECONDS)).singleElement()
          .satisfies(e -> assertThat(e.values().get(0)).isGreaterThanOrEqualTo(reaction));
      double alarmToBaseline = extracted(r, Names.ALARM_TO_BASELINE_SECONDS).get(0).values().get(0);
      assertThat(extracted(r, Names.FIRST_ERROR_TO_BASELINE_SECONDS)).as("errors begin before"
          + " the alarm that counts them fires").singleElement()
          .satisfies(e -> assertThat(e.values().get(0)).isGreaterThan(alarmToBaseline));
      assertThat(extracted(r, Names.ESCALATIONS)).singleElement()
          .satisfies(e -> assertThat(e.values()).containsExactly(0.0));
      assertThat(r.runtime().lambda().logs()).as("log keys Powertools drops as reserved")
          .noneSatisfy(l -> assertThat(l.text()).contains("reserved key"));
    }
  }

  @TestFactory
  @DisplayName("every shipped scenario: the endpoint's dashboard names each instance type its fleets ran on")
  Stream<DynamicTest> everyScenarioPutsADashboardNamingEveryInstanceType() throws IOException {
    List<String> files;
    try (Stream<Path> list = Files.list(IamRehearsalTest.SCENARIOS)) {
      files = list.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json"))
          .filter(f -> !SLOW.contains(f)).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(10);
    return files.stream().map(f -> DynamicTest.dynamicTest(f, () -> {
      try (Rehearsal r = Rehearsal.of(f, s -> {})) {
        Map<String, Set<String>> ranOn = new TreeMap<>();
        r.runtime().sageMaker().onServingChange(() -> collectTypes(r, ranOn));
        collectTypes(r, ranOn);
        r.finish();
        collectTypes(r, ranOn);

        assertThat(r.runtime().embeddedMetrics().rejections()).as("EMF lines refused in " + f).isEmpty();
        long started = extracted(r, Names.ROLLOUTS_STARTED).size();
        List<Dashboards.Dashboard> dashboards = r.runtime().cloudWatch().dashboards().list("poolshift-");
        if (started == 0) {
          assertThat(dashboards).as("no rollout took an endpoint in " + f).isEmpty();
          return;
        }
        assertThat(dashboards).as("dashboards in " + f).isNotEmpty();
        for (Dashboards.Dashboard d : dashboards) {
          String endpoint = d.name().substring("poolshift-".length());
          assertThat(LocalJson.parse(d.body()).path("widgets").isArray()).isTrue();
          assertThat(ranOn.get(endpoint)).as("instance types endpoint %s ran on in %s", endpoint, f).isNotEmpty();
          for (String type : ranOn.get(endpoint)) {
            assertThat(d.body()).as("dashboard of " + endpoint + " in " + f + " names " + type)
                .contains("\"" + type + "\"");
          }
        }
      }
    }));
  }

  private static void collectTypes(Rehearsal r, Map<String, Set<String>> into) {
    for (EndpointView e : r.runtime().sageMaker().endpoints()) {
      Set<String> types = into.computeIfAbsent(e.name(), k -> new TreeSet<>());
      e.variants().forEach(v -> v.servingInstances().forEach(i -> types.add(i.instanceType())));
    }
  }

  private static List<String> emfLines(Rehearsal r) {
    List<String> out = new ArrayList<>();
    for (LogLine l : r.runtime().lambda().logs()) {
      if (l.text().startsWith("{") && l.text().contains("\"_aws\"")) {
        out.add(l.text());
      }
    }
    return out;
  }

  private static List<EmbeddedMetrics.Extracted> extracted(Rehearsal r, String name) {
    return r.runtime().embeddedMetrics().extracted().stream().filter(e -> e.metricName().equals(name)).toList();
  }
}
