package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.iam.Evaluation;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.LogLine;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.ComponentView;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.InstanceView;
import dev.poolshift.local.sagemaker.VariantView;
import dev.poolshift.local.scenario.ScenarioReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What must hold after every workflow run, whatever happened in it: every endpoint InService
 * with all its traffic on exactly one model version, no lock or registered wait left in the state
 * table, every rollout that took the lock recorded in the ledger with its outcome, no task token
 * outstanding, no task token in any log line, and IAM evaluated every call the functions and the
 * state machine made and refused none.
 */
final class WorkflowInvariants {
  private WorkflowInvariants() {}

  static void assertHold(LocalRuntime runtime, ScenarioReport report) {
    assertHoldDespiteDenials(runtime, report);
    assertThat(runtime.iam().denials()).as("calls IAM refused").isEmpty();
  }

  /** {@link #assertHold}, for a run that declares a permission its roles lack: IAM refusals are expected. */
  static void assertHoldDespiteDenials(LocalRuntime runtime, ScenarioReport report) {
    assertEveryCallEvaluated(runtime);
    assertThat(report.json().path("finished").asBoolean()).as("the run settled before its limit").isTrue();
    for (EndpointView endpoint : runtime.sageMaker().endpoints()) {
      assertThat(endpoint.status()).as("status of " + endpoint.name()).isEqualTo("InService");
      // One version of each model package group: a multi-variant endpoint may serve another
      // group's model beside the one a rollout replaces.
      Map<String, List<String>> byGroup = modelVersionsServing(endpoint).stream().collect(
          java.util.stream.Collectors.groupingBy(v -> v.replaceAll("/[^/]*$", "")));
      assertThat(byGroup).as("model versions serving " + endpoint.name()).isNotEmpty()
          .allSatisfy((group, versions) -> assertThat(versions).as("versions of " + group
              + " serving " + endpoint.name()).hasSize(1));
      assertComponentsOnOneVersion(runtime, endpoint.name());
    }
    assertThat(stateItems(runtime)).as("locks, rollouts and registered waits left in the state table").isEmpty();
    assertNoTaskTokenLeft(runtime);
    assertLedgered(runtime, report, Set.of("PROMOTED", "ROLLED_BACK"));
    assertCausesReadable(report);
  }

  /**
   * A failed execution's cause is what the on-call reads in the console: the error's message,
   * never a Lambda function's raw error document with its stack trace.
   */
  static void assertCausesReadable(ScenarioReport report) {
    for (var x : report.json().path("executions")) {
      String cause = x.path("cause").asText("");
      assertThat(cause).as("cause of " + x.path("name").asText())
          .doesNotContain("\"stackTrace\"").doesNotContain("\"errorType\"");
    }
  }

  /**
   * What must hold after a run that ended needing a person (the way back failed, or the endpoint
   * is Failed / UpdateRollbackFailed): the lock is kept on purpose so nothing automated writes to
   * the endpoint until someone has looked, but no wait is left registered, no task token is
   * outstanding or logged, and the ledger says so.
   */
  static void assertHoldForAPerson(LocalRuntime runtime, ScenarioReport report) {
    assertEveryCallEvaluated(runtime);
    assertThat(runtime.iam().denials()).as("calls IAM refused").isEmpty();
    assertThat(report.json().path("finished").asBoolean()).as("the run settled before its limit").isTrue();
    assertThat(stateItems(runtime)).as("state items: the lock, its rollout record and alarm mappings, no registered wait")
        .allSatisfy(i -> assertThat(i).matches(".*/(LOCK|ROLLOUT|ALARM)"));
    assertNoTaskTokenLeft(runtime);
    assertLedgered(runtime, report, Set.of("NEEDS_A_PERSON"));
    assertCausesReadable(report);
  }

  /**
   * Every call that reached a simulated service was signed by a function or the state machine and
   * evaluated by IAM: none by an unknown signer (a client not using its function's credentials),
   * none of an operation IAM cannot describe, none unreadable.
   */
  static void assertEveryCallEvaluated(LocalRuntime runtime) {
    assertThat(runtime.iam().evaluations()).as("IAM verdicts")
        .allSatisfy(e -> assertThat(e.verdict()).as(e.caller() + " " + e.service() + " " + e.operation())
            .isIn(Evaluation.Verdict.ALLOWED, Evaluation.Verdict.IMPLICITLY_DENIED,
                Evaluation.Verdict.EXPLICITLY_DENIED));
  }

  /** No task token outstanding, and none in any function's log line. */
  private static void assertNoTaskTokenLeft(LocalRuntime runtime) {
    assertThat(runtime.stepFunctions().outstandingTaskTokens()).as("task tokens still outstanding").isZero();
    List<LogLine> leaks = runtime.lambda().logs().stream()
        .filter(l -> runtime.stepFunctions().tokens().leaksInto(l.text())).toList();
    assertThat(leaks).as("log lines carrying a task token").isEmpty();
  }

  /** Every execution that ended with one of {@code outcomes} has that outcome in the ledger. */
  private static void assertLedgered(LocalRuntime runtime, ScenarioReport report, Set<String> outcomes) {
    Set<String> ledgered = ledgerOutcomes(runtime);
    for (JsonNode execution : report.json().path("executions")) {
      String outcome = execution.path("outcome").asText();
      if (outcomes.contains(outcome)) {
        assertThat(ledgered).as("ledger records").contains(execution.path("name").asText() + "=" + outcome);
      }
    }
  }

  /**
   * A scalable target that existed before a rollout exists after it with the same settings:
   * the same min, max and suspended state, the same policies and the same scheduled actions with
   * every setting (a rollout takes an autoscaled variant out and must put it back exactly).
   * Creation times and generated ARNs may differ.
   */
  static void assertAutoscalingAsBefore(LocalRuntime runtime, JsonNode before) {
    JsonNode after = autoscaling(runtime);
    if (!sameSettings(after, before)) {
      assertThat(after).as("Application Auto Scaling targets and policies after the run").isEqualTo(before);
    }
  }

  /** Equal JSON, numbers compared by value (AWS answers 0 and 0.0 alike for a double setting). */
  static boolean sameSettings(JsonNode a, JsonNode b) {
    return a.equals((x, y) -> x.equals(y) || (x.isNumber() && y.isNumber()
        && x.decimalValue().compareTo(y.decimalValue()) == 0) ? 0 : 1, b);
  }

  /**
   * SageMaker scalable targets, scaling policies and scheduled actions as the describes show them,
   * minus creation times and ARNs.
   */
  static JsonNode autoscaling(LocalRuntime runtime) {
    com.fasterxml.jackson.databind.node.ObjectNode out = LocalJson.object();
    com.fasterxml.jackson.databind.node.ObjectNode ns = LocalJson.object().put("ServiceNamespace", "sagemaker");
    JsonNode targets = runtime.autoScaling().invoke("DescribeScalableTargets", ns).path("ScalableTargets").deepCopy();
    JsonNode policies = runtime.autoScaling().invoke("DescribeScalingPolicies", ns).path("ScalingPolicies").deepCopy();
    JsonNode actions = runtime.autoScaling().invoke("DescribeScheduledActions", ns).path("ScheduledActions").deepCopy();
    for (JsonNode a : actions) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove(List.of("CreationTime", "ScheduledActionARN"));
    }
    for (JsonNode t : targets) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) t).remove(List.of("CreationTime", "ScalableTargetARN"));
    }
    for (JsonNode p : policies) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove(List.of("CreationTime", "PolicyARN"));
    }
    // Re-registering puts a target last; the order of the registry is not a setting.
    out.set("targets", sorted(targets, t -> t.path("ResourceId").asText()));
    out.set("policies", sorted(policies, p -> p.path("ResourceId").asText() + "|" + p.path("PolicyName").asText()));
    out.set("scheduledActions", sorted(actions,
        a -> a.path("ResourceId").asText() + "|" + a.path("ScheduledActionName").asText()));
    return out;
  }

  private static JsonNode sorted(JsonNode array, java.util.function.Function<JsonNode, String> key) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    items.sort(java.util.Comparator.comparing(key));
    com.fasterxml.jackson.databind.node.ArrayNode out = LocalJson.MAPPER.createArrayNode();
    items.forEach(out::add);
    return out;
  }

  /** The model versions (package ARNs) that receive any traffic. */
  /**
   * An inference-component endpoint's traffic goes to its components' copies, not to a model on
   * the variant: every serving component is InService (not mid-update) and all its copies, on
   * every instance type, run builds of one model version (a type's own build, such as an int8
   * one, counts as that version). A component mid-update shows as two views, one per
   * specification; they are judged together.
   */
  static void assertComponentsOnOneVersion(LocalRuntime runtime, String endpointName) {
    Map<String, Set<String>> versions = new java.util.TreeMap<>();
    List<ComponentView> views = runtime.sageMaker().componentsOn(endpointName);
    for (ComponentView c : views) {
      Set<String> of = versions.computeIfAbsent(c.name(), k -> new TreeSet<>());
      c.modelByType().forEach((type, model) -> {
        if (c.copiesByType().getOrDefault(type, 0) > 0) {
          of.add(runtime.sageMaker().modelPackageOfModel(model).orElse("model " + model));
        }
      });
    }
    versions.forEach((name, of) -> assertThat(of)
        .as("model versions the copies of inference component " + name + " on " + endpointName + " run")
        .hasSize(1));
    views.forEach(c -> assertThat(c.status()).as("status of inference component " + c.name()).isEqualTo("InService"));
  }

  static Set<String> modelVersionsServing(EndpointView endpoint) {
    Set<String> versions = new TreeSet<>();
    for (VariantView v : endpoint.variants()) {
      if (v.currentWeight() > 0) {
        v.servingInstances().stream().map(InstanceView::modelVersionKey).forEach(versions::add);
      }
    }
    return versions;
  }

  static List<String> stateItems(LocalRuntime runtime) {
    List<String> items = new ArrayList<>();
    for (JsonNode item : scan(runtime, "StateTable")) {
      String sk = item.path("sk").path("S").asText();
      // Sightings of endpoint changes (which tell copies of one event apart) are no one's state:
      // they expire with the table's TTL an hour after the event.
      if (sk.startsWith("SEEN#") && item.has("expiresAt")) {
        continue;
      }
      items.add(item.path("pk").path("S").asText() + "/" + sk);
    }
    return items;
  }

  static Set<String> ledgerOutcomes(LocalRuntime runtime) {
    Set<String> out = new TreeSet<>();
    for (JsonNode item : scan(runtime, "LedgerTable")) {
      out.add(item.path("executionName").path("S").asText() + "=" + item.path("outcome").path("S").asText());
    }
    return out;
  }

  static JsonNode scan(LocalRuntime runtime, String logicalId) {
    String table = runtime.template().table(logicalId).name();
    return runtime.dynamoDb().call("Scan", LocalJson.object().put("TableName", table)).path("Items");
  }
}
