package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.ScenarioRunner;
import dev.poolshift.local.sfn.Execution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code tests/src/test/resources/console/bad-inputs/} is a console input that
 * must be refused: {@code input}, the {@code error} the execution fails with and the
 * {@code message} (naming the field and what was expected) its cause must contain. All of them
 * are started at once in one rehearsal of the real workflow on the local runtime; each must end
 * in the first Task state, and SageMaker must see no mutating call at all.
 */
class BadConsoleInputTest {
  static final Path CASES = RolloutScenarioTest.ROOT.resolve("tests/src/test/resources/console/bad-inputs");
  /**
   * The states a refused input may pass through: the plan step, the report of the refusal (the
   * ledger and on-call hear of it; it changes no endpoint), then the Fail state.
   */
  static final Set<String> FIRST_STATES = Set.of("Begin the rollout", "Resolve the rollout plan",
      "Report the rejection", "Rollout rejected");

  record Case(String name, String description, JsonNode input, String error, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static LocalRuntime runtime;
  static ScenarioReport report;

  static Stream<Case> cases() {
    try (Stream<Path> files = Files.list(CASES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
        JsonNode c = LocalJson.read(f);
        String name = f.getFileName().toString().replace(".json", "");
        return new Case(name, c.path("description").asText(), c.path("input"), c.path("error").asText(),
            c.path("message").asText());
      }).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void startEveryBadInput() {
    ObjectNode json = (ObjectNode) LocalJson.read(RolloutScenarioTest.ROOT.resolve("events/scenarios/console-plan.json"));
    ArrayNode groups = (ArrayNode) json.path("world").path("modelPackageGroups");
    ArrayNode fraudVersions = (ArrayNode) groups.get(0).path("versions");
    ObjectNode v3 = ((ObjectNode) fraudVersions.get(1).deepCopy()).put("approval", "PendingManualApproval");
    fraudVersions.add(v3);
    // A group with no profile, and one whose profile names an endpoint nobody created.
    ObjectNode experiments = groups.addObject().put("name", "experiments");
    experiments.putArray("versions").addObject().put("approval", "Approved").put("image", v3.path("image").asText());
    ObjectNode churn = groups.addObject().put("name", "churn");
    churn.putArray("versions").addObject().put("approval", "Approved").put("image", v3.path("image").asText());
    ObjectNode churnProfile = RolloutScenarioTest.profile(json).deepCopy();
    churnProfile.put("endpointName", "churn-prod").remove("gateAlarmNames");
    ArrayNode pools = churnProfile.putArray("instancePools");
    pools.addObject().put("instanceType", "ml.c7i.xlarge").put("priority", 1);
    ((ObjectNode) json.path("world").path("profiles")).set("churn", churnProfile);
    // And one whose endpoint exists but was never handed to Poolshift (no poolshift:managed tag).
    ObjectNode search = groups.addObject().put("name", "search");
    search.putArray("versions").addObject().put("approval", "Approved").put("image", v3.path("image").asText());
    ObjectNode searchEndpoint = ((ArrayNode) json.path("world").path("endpoints")).addObject().put("name", "search-prod");
    searchEndpoint.putObject("tags").put("team", "search");
    searchEndpoint.putArray("variants").addObject().put("modelPackage", "search/1").put("instanceType", "ml.c7i.xlarge");
    ((ObjectNode) json.path("world").path("profiles")).set("search", churnProfile.deepCopy().put("endpointName", "search-prod"));

    // One a second, as people paste them: the step function's warm environments are reused.
    ArrayNode timeline = json.putArray("timeline");
    int[] at = {60};
    cases().forEach(c -> {
      ObjectNode start = timeline.addObject().put("at", at[0]++).putObject("startExecution");
      start.put("name", c.name()).set("input", c.input());
    });
    Scenario scenario = Scenario.parse(json, "bad-console-inputs", RolloutScenarioTest.ROOT);
    runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()));
    report = ScenarioRunner.runToEnd(scenario, runtime, System.nanoTime());
  }

  @AfterAll
  static void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void thereAreAtLeastThirtyAndTogetherTheyMadeNoMutationAndLeftNothingBehind() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(30);
    assertThat(runtime.sageMaker().mutations()).as("mutating SageMaker calls, even refused ones").isEmpty();
    assertThat(report.json().path("wallMillis").asLong()).as("all of them, in wall time").isLessThan(10_000);
    WorkflowInvariants.assertHold(runtime, report);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRejectedInTheFirstStateNamingTheField(Case c) {
    Execution e = runtime.stepFunctions().executions().stream().filter(x -> x.name().equals(c.name()))
        .findFirst().orElseThrow();
    Execution.Snapshot s = e.snapshot();
    assertThat(s.status().name()).as(c.description()).isEqualTo("FAILED");
    assertThat(s.error()).as(c.description()).isEqualTo(c.error());
    assertThat(message(s.cause())).as(c.description()).contains(c.message());
    assertThat(statesEntered(e)).as("states %s passed through", c.name()).isSubsetOf(FIRST_STATES);
  }

  /** The Lambda error's message when the cause is Lambda's error document, else the cause. */
  static String message(String cause) {
    if (cause != null && cause.startsWith("{")) {
      JsonNode doc = LocalJson.parse(cause);
      if (doc.hasNonNull("errorMessage")) {
        return doc.get("errorMessage").asText();
      }
    }
    return cause;
  }

  static Set<String> statesEntered(Execution e) {
    Set<String> names = new LinkedHashSet<>();
    for (HistoryEvent h : e.history()) {
      if (h.type().endsWith("StateEntered")) {
        names.add(h.details().path("name").asText());
      }
    }
    return names;
  }
}
