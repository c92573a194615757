package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.InstanceView;
import dev.poolshift.local.sagemaker.VariantView;
import dev.poolshift.local.sfn.Execution;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a scenario run did: every execution with its outcome, where each endpoint's traffic ended,
 * the SageMaker mutations made, and the timeline ({@link TimelineFeed}). {@link #json()} is the
 * {@code run --json} document; {@link #text()} the human one.
 */
public final class ScenarioReport {
  /** Failures of the plan or lock steps: the request was refused and nothing changed. */
  static final Set<String> REJECTIONS = Set.of(
      "dev.poolshift.rollout.InvalidInputException", "dev.poolshift.rollout.ProfileNotFoundException",
      "dev.poolshift.rollout.ModelPackageNotDeployableException", "dev.poolshift.rollout.ModelPackageNotFoundException",
      "dev.poolshift.rollout.EndpointNotFoundException", "dev.poolshift.rollout.IncompatibleEndpointException",
      "dev.poolshift.rollout.EndpointLockedException");

  private final ObjectNode json;
  private final List<TimelineLine> lines;

  private ScenarioReport(ObjectNode json, List<TimelineLine> lines) {
    this.json = json;
    this.lines = lines;
  }

  public ObjectNode json() {
    return json;
  }

  /** The timeline, in the order {@code run} printed it. */
  public List<TimelineLine> timeline() {
    return lines;
  }

  static ScenarioReport of(Scenario scenario, LocalRuntime runtime, boolean finished, long wallMillis,
      List<TimelineLine> lines) {
    Instant t0 = scenario.start();
    ObjectNode out = LocalJson.object();
    out.put("scenario", scenario.name());
    out.put("finished", finished);

    ArrayNode executions = out.putArray("executions");
    for (Execution e : runtime.stepFunctions().executions()) {
      Execution.Snapshot s = e.snapshot();
      ObjectNode x = executions.addObject();
      x.put("name", s.name());
      x.put("status", s.status().name());
      x.put("outcome", outcome(s));
      x.put("stateTransitions", s.stateTransitions());
      x.put("lambdaInvocations", runtime.lambda().invocationsFrom(s.executionArn()).size());
      x.put("error", s.error());
      x.put("cause", s.cause());
      x.put("startedAtSeconds", seconds(t0, s.startDate()));
      if (s.stopDate() != null) {
        x.put("endedAtSeconds", seconds(t0, s.stopDate()));
      }
      if (s.output() != null) {
        x.set("output", LocalJson.parse(s.output()));
      }
    }

    ObjectNode endpoints = out.putObject("endpoints");
    for (EndpointView ep : runtime.sageMaker().endpoints()) {
      ObjectNode view = endpoint(ep);
      // The variant's scalable target, if registered: what a rollout must leave as it found it.
      for (JsonNode v : view.path("variants")) {
        runtime.autoScaling().variantView(ep.name(), v.path("variantName").asText())
            .ifPresent(a -> ((ObjectNode) v).set("autoscaling", a));
      }
      endpoints.set(ep.name(), view);
    }

    ArrayNode mutations = runtime.sageMaker().mutationsJson();
    out.set("sagemakerMutations", mutations);
    out.put("sagemakerMutationCount", mutations.size());

    ArrayNode rollbacks = out.putArray("rollbacks");
    for (RollbackReport.Rollback r : RollbackReport.of(runtime)) {
      rollbacks.add(r.json(t0));
    }

    out.set("iam", IamReport.json(runtime.iam(), t0));

    out.put("virtualSeconds", seconds(t0, runtime.simulation().now()));
    out.put("wallMillis", wallMillis);
    return new ScenarioReport(out, List.copyOf(lines));
  }

  static ObjectNode endpoint(EndpointView ep) {
    ObjectNode e = LocalJson.object();
    e.put("status", ep.status());
    e.put("endpointConfigName", ep.configName());
    if (ep.failureReason() != null) {
      e.put("failureReason", ep.failureReason());
    }
    ArrayNode variants = e.putArray("variants");
    for (VariantView v : ep.variants()) {
      ObjectNode vn = variants.addObject();
      vn.put("variantName", v.name());
      List<InstanceView> serving = v.servingInstances();
      List<String> packages = serving.stream().map(InstanceView::modelVersionKey).distinct().toList();
      vn.put("modelPackageArn", packages.size() == 1 ? packages.get(0) : null);
      if (packages.size() > 1) {
        vn.set("modelPackageArns", LocalJson.MAPPER.valueToTree(packages));
      }
      vn.put("currentWeight", v.currentWeight());
      vn.put("currentInstanceCount", v.currentInstanceCount());
      ArrayNode pools = vn.putArray("instancePools");
      Map<String, int[]> byType = new LinkedHashMap<>();
      serving.stream().sorted(Comparator.comparingInt(InstanceView::priority))
          .forEach(i -> byType.computeIfAbsent(i.instanceType(), k -> new int[] {i.priority(), 0})[1]++);
      byType.forEach((type, pc) -> pools.addObject().put("instanceType", type).put("priority", pc[0]).put("currentInstanceCount", pc[1]));
    }
    return e;
  }

  /** What an execution came to: PROMOTED, ROLLED_BACK, REJECTED, NEEDS_A_PERSON, ... (its output's outcome when it succeeded). */
  public static String outcome(Execution.Snapshot s) {
    return switch (s.status()) {
      case RUNNING -> "RUNNING";
      case ABORTED -> "ABORTED";
      case TIMED_OUT -> "TIMED_OUT";
      case SUCCEEDED -> {
        JsonNode out = s.output() == null ? null : LocalJson.parse(s.output());
        yield out != null && out.hasNonNull("outcome") ? out.get("outcome").asText() : "SUCCEEDED";
      }
      default -> {
        String error = s.error() == null ? "" : s.error();
        if (error.equals("Poolshift.RolledBack")) {
          yield "ROLLED_BACK";
        }
        if (error.equals("Poolshift.NeedsAPerson")) {
          yield "NEEDS_A_PERSON";
        }
        yield REJECTIONS.contains(error) ? "REJECTED" : "FAILED";
      }
    };
  }

  private static double seconds(Instant t0, Instant t) {
    return Duration.between(t0, t).toMillis() / 1000.0;
  }

  /** The human-readable report: {@link #header()}, the timeline, then {@link #summary()}. */
  public String text() {
    StringBuilder b = new StringBuilder(header());
    for (TimelineLine l : lines) {
      b.append(l.formatted()).append('\n');
    }
    return b.append(summary()).toString();
  }

  /** The first line of {@link #text()}. */
  public String header() {
    return "scenario " + json.path("scenario").asText() + "\n";
  }

  /** What {@link #text()} prints after the timeline: outcomes, rollbacks, where traffic ended. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append('\n');
    for (JsonNode x : json.path("executions")) {
      b.append(String.format("execution %s: %s, %d state transitions, %d Lambda invocations%n", x.path("name").asText(),
          x.path("outcome").asText(), x.path("stateTransitions").asLong(), x.path("lambdaInvocations").asLong()));
    }
    for (JsonNode r : json.path("rollbacks")) {
      // A rollback no alarm turned around (a registry rejection, an operator) says what started it.
      String why = r.hasNonNull("alarmName") ? "alarm " + r.get("alarmName").asText()
          : r.hasNonNull("trigger") ? "no alarm, started by " + r.get("trigger").asText() : "no alarm";
      b.append(String.format("rollback %s on %s: %s; T_act %s s; first 5xx to baseline %s s%n",
          r.path("execution").asText(), r.path("endpoint").asText(), why,
          r.path("tActSeconds").isNull() ? "-" : r.path("tActSeconds").asText(),
          r.path("firstErrorToBaselineSeconds").isNull() ? "-" : r.path("firstErrorToBaselineSeconds").asText()));
    }
    json.path("endpoints").fields().forEachRemaining(e -> {
      JsonNode ep = e.getValue();
      b.append(String.format("endpoint %s: %s on %s%n", e.getKey(), ep.path("status").asText(), ep.path("endpointConfigName").asText()));
      for (JsonNode v : ep.path("variants")) {
        StringBuilder pools = new StringBuilder();
        for (JsonNode p : v.path("instancePools")) {
          // Priority 0 marks a single-type variant (no instance pools).
          int priority = p.path("priority").asInt();
          pools.append(pools.isEmpty() ? "" : ", ").append(p.path("instanceType").asText())
              .append(priority == 0 ? " (single type, no pools)" : " (priority " + priority + ")")
              .append(" x").append(p.path("currentInstanceCount").asInt());
        }
        b.append(String.format("  variant %s: weight %s, %s, on %s%n", v.path("variantName").asText(),
            v.path("currentWeight").asText(), v.path("modelPackageArn").asText(), pools));
      }
    });
    JsonNode iam = json.path("iam");
    b.append(String.format("IAM (%s): %d checks evaluated, %d denied, %d calls not evaluated%n",
        iam.path("mode").asText().toLowerCase(java.util.Locale.ROOT), iam.path("evaluatedChecks").asLong(),
        iam.path("denied").size(), iam.path("callsNotEvaluated").asLong()));
    b.append(String.format("%d SageMaker mutations; %.0f s of virtual time in %d ms of wall time%s%n",
        json.path("sagemakerMutationCount").asInt(), json.path("virtualSeconds").asDouble(), json.path("wallMillis").asLong(),
        json.path("finished").asBoolean() ? "" : " — STOPPED AT THE LIMIT before everything ended"));
    return b.toString();
  }
}
