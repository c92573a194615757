package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.cloudwatch.AlarmStateValue;
import dev.poolshift.local.cloudwatch.AlarmTransition;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointMoment;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.local.sfn.Execution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How fast each rollback put traffic back, measured on the virtual clock from what the simulated
 * services recorded, never from what the workflow says it did:
 * <ul>
 *   <li>{@code firstErrorAt}: the first 5xx the new version served (the traffic model);
 *   <li>{@code alarmAt}: the guarding alarm's change to ALARM (CloudWatch);
 *   <li>{@code restoreCallAt}: the first UpdateEndpointWeightsAndCapacities SageMaker accepted for
 *       the endpoint at or after the trigger — {@code tAct} = restoreCallAt − alarmAt;
 *   <li>{@code baselineRestoredAt}: from when DescribeEndpoint showed all traffic on the version
 *       that served before the rollout, for good (the endpoint's visible history).
 * </ul>
 * A rollback is an execution that ended {@code ROLLED_BACK}, or that ended otherwise (stopped,
 * timed out, needing a person) after its version had served traffic.
 */
final class RollbackReport {
  /** The step whose output is the plan; state names are stable (operators and tests use them). */
  static final String PLAN_STATE = "Resolve the rollout plan";
  static final String ROLLBACK_STATE = "Roll back";
  private static final String WEIGHTS_CALL = "UpdateEndpointWeightsAndCapacities";

  /** One rollback's measurements; instants are null when they did not happen. */
  record Rollback(String execution, String endpoint, String modelPackageArn, String outcome, String cause,
      String alarmName, String trigger, Instant firstErrorAt, Instant alarmAt, Instant rollbackStartedAt,
      Instant restoreCallAt, Instant baselineRestoredAt) {

    ObjectNode json(Instant t0) {
      ObjectNode n = LocalJson.object();
      n.put("execution", execution);
      n.put("endpoint", endpoint);
      n.put("modelPackageArn", modelPackageArn);
      n.put("outcome", outcome);
      n.put("cause", cause);
      n.put("alarmName", alarmName);
      n.put("trigger", trigger);
      put(n, "firstErrorAtSeconds", t0, firstErrorAt);
      put(n, "alarmAtSeconds", t0, alarmAt);
      put(n, "rollbackStartedAtSeconds", t0, rollbackStartedAt);
      put(n, "restoreCallAtSeconds", t0, restoreCallAt);
      put(n, "baselineRestoredAtSeconds", t0, baselineRestoredAt);
      between(n, "tActSeconds", alarmAt, restoreCallAt);
      between(n, "alarmToBaselineSeconds", alarmAt, baselineRestoredAt);
      between(n, "firstErrorToBaselineSeconds", firstErrorAt, baselineRestoredAt);
      return n;
    }

    private static void put(ObjectNode n, String field, Instant t0, Instant at) {
      if (at == null) {
        n.putNull(field);
      } else {
        n.put(field, seconds(t0, at));
      }
    }

    private static void between(ObjectNode n, String field, Instant from, Instant to) {
      if (from == null || to == null) {
        n.putNull(field);
      } else {
        n.put(field, seconds(from, to));
      }
    }
  }

  private RollbackReport() {}

  static List<Rollback> of(LocalRuntime runtime) {
    List<Rollback> out = new ArrayList<>();
    for (Execution e : runtime.stepFunctions().executions()) {
      of(runtime, e).ifPresent(out::add);
    }
    return out;
  }

  /** The rollback {@code e} was, measured as things stand; empty while it runs or when it was none. */
  static Optional<Rollback> of(LocalRuntime runtime, Execution e) {
    Execution.Snapshot s = e.snapshot();
    if (s.stopDate() == null) {
      return Optional.empty();
    }
    String outcome = ScenarioReport.outcome(s);
    if (Set.of("PROMOTED", "PLANNED", "REJECTED", "SUCCEEDED", "DELIVERED").contains(outcome)) {
      // DELIVERED: a promote, continue or abort action; the rollout it reached has its own entry.
      return Optional.empty();
    }
    List<HistoryEvent> history = e.history();
    JsonNode plan = plan(history);
    if (plan == null || !plan.hasNonNull("endpointName")) {
      return Optional.empty();
    }
    String endpoint = plan.get("endpointName").asText();
    String pkg = plan.path("modelPackageArn").asText();
    List<EndpointMoment> visible = runtime.sageMaker().visibleHistory(endpoint);
    boolean served = visible.stream()
        .anyMatch(m -> !m.at().isBefore(s.startDate()) && !m.at().isAfter(s.stopDate()) && servesPackage(m, pkg));
    if (!outcome.equals("ROLLED_BACK") && !served) {
      return Optional.empty();
    }
    AlarmTransition alarm = alarm(runtime, plan, s);
    Instant rollbackStarted = history.stream()
        .filter(h -> h.type().endsWith("StateEntered") && ROLLBACK_STATE.equals(h.details().path("name").asText()))
        .map(HistoryEvent::timestamp).findFirst().orElse(null);
    Instant trigger = alarm != null ? alarm.at() : rollbackStarted != null ? rollbackStarted : s.stopDate();
    Instant restoreCall = runtime.sageMaker().mutations().stream()
        .filter(m -> m.accepted() && WEIGHTS_CALL.equals(m.operation()) && endpoint.equals(m.endpointName())
            && !m.time().isBefore(trigger))
        .map(SageMakerMutation::time).findFirst().orElse(null);
    Instant firstError = served ? firstError(runtime, endpoint, pkg, s.startDate()) : null;
    return Optional.of(new Rollback(s.name(), endpoint, pkg, outcome, s.cause(),
        alarm == null ? null : alarm.alarmName(), trigger(plan), firstError, alarm == null ? null : alarm.at(),
        rollbackStarted,
        restoreCall, served ? baselineRestoredAt(visible, s.startDate(), pkg) : null));
  }

  /**
   * What started the execution, from its plan: {@code source} and, when known, {@code by} (e.g.
   * {@code registry-rejection by arn:…}); null when the plan names none.
   */
  private static String trigger(JsonNode plan) {
    JsonNode t = plan.path("trigger");
    if (!t.hasNonNull("source")) {
      return null;
    }
    return t.get("source").asText() + (t.hasNonNull("by") ? " by " + t.get("by").asText() : "");
  }

  /**
   * The plan the execution went on with: the last exit of the plan state that carried one. A plan
   * throttled or unanswered exits first with its error (then "Plan again later?"), so the first
   * exit is not always the plan; a report that took it lost the rollback from its list.
   */
  private static JsonNode plan(List<HistoryEvent> history) {
    JsonNode found = null;
    for (HistoryEvent h : history) {
      if (h.type().endsWith("StateExited") && PLAN_STATE.equals(h.details().path("name").asText())) {
        String output = h.details().path("output").asText(null);
        JsonNode parsed = output == null ? null : LocalJson.parse(output);
        if (parsed != null && parsed.hasNonNull("endpointName")) {
          found = parsed;
        }
      }
    }
    return found;
  }

  /**
   * The alarm that turned the rollout around: among the plan's alarms that went to ALARM while the
   * execution ran, the one its cause names, else the earliest.
   */
  private static AlarmTransition alarm(LocalRuntime runtime, JsonNode plan, Execution.Snapshot s) {
    Set<String> names = new java.util.HashSet<>();
    plan.path("alarms").forEach(a -> names.add(a.asText()));
    List<AlarmTransition> fired = runtime.cloudWatch().transitions().stream()
        .filter(t -> t.to() == AlarmStateValue.ALARM && names.contains(t.alarmName())
            && !t.at().isBefore(s.startDate()) && !t.at().isAfter(s.stopDate()))
        .sorted(Comparator.comparing(AlarmTransition::at)).toList();
    String cause = s.cause() == null ? "" : s.cause();
    return fired.stream().filter(t -> cause.contains("alarm " + t.alarmName() + " "))
        .findFirst().orElse(fired.isEmpty() ? null : fired.get(0));
  }

  private static Instant firstError(LocalRuntime runtime, String endpoint, String pkg, Instant since) {
    Optional<Instant> at = runtime.traffic().firstErrorAt(endpoint, pkg);
    if (at.isEmpty()) {
      at = runtime.traffic().firstErrorAt(endpoint, pkg.toLowerCase(Locale.ROOT));
    }
    return at.filter(t -> !t.isBefore(since)).orElse(null);
  }

  /**
   * The start of the last stretch, before the history ends, in which DescribeEndpoint showed all
   * traffic on the versions that served when the execution started; null when the endpoint ends
   * elsewhere.
   */
  private static Instant baselineRestoredAt(List<EndpointMoment> visible, Instant started, String pkg) {
    Set<String> baseline = null;
    for (EndpointMoment m : visible) {
      if (m.at().isAfter(started)) {
        break;
      }
      baseline = m.servingVersions();
    }
    if (baseline == null || baseline.isEmpty() || containsIgnoringCase(baseline, pkg)) {
      return null;
    }
    Instant since = null;
    for (EndpointMoment m : visible) {
      if (m.at().isBefore(started)) {
        continue;
      }
      if (m.servingVersions().equals(baseline)) {
        if (since == null) {
          since = m.at();
        }
      } else {
        since = null;
      }
    }
    return since;
  }

  private static boolean servesPackage(EndpointMoment m, String pkg) {
    return containsIgnoringCase(m.servingVersions(), pkg);
  }

  private static boolean containsIgnoringCase(Set<String> versions, String pkg) {
    return versions.stream().anyMatch(v -> v.equalsIgnoreCase(pkg));
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
