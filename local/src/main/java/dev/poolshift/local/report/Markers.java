package dev.poolshift.local.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.cloudwatch.AlarmTransition;
import dev.poolshift.local.events.BusEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointMoment;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.TimelineLine;
import dev.poolshift.local.sfn.Execution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instants a reader looks for: approvals, executions starting and ending, the SageMaker calls
 * that move traffic or fleets, rollback calls, alarm transitions, operator actions and injected
 * faults. A SageMaker call is attributed to the execution of its endpoint that was in a state at
 * that instant (the state names are stable: operators and tests use them); a weights call at a
 * rollback's measured restore instant is that rollback's, whoever made it (the alarm function
 * makes it, from the alarm event, while the execution still bakes).
 */
final class Markers {
  /** The step whose output is the plan, naming the endpoint. */
  static final String PLAN_STATE = "Resolve the rollout plan";
  /** States that put the original endpoint config back. */
  static final Set<String> RESTORE_CONFIG_STATES = Set.of("Restore the original endpoint config",
      "Return to the previous release");
  /** States that put the weights back on the baseline. */
  static final Set<String> RESTORE_WEIGHTS_STATES = Set.of("Roll back", "Ask the running rollout to return to its baseline");
  static final String WEIGHTS_CALL = "UpdateEndpointWeightsAndCapacities";
  static final String UPDATE_CALL = "UpdateEndpoint";
  /** Where approvals come from, as the intake function names it in an execution's input. */
  static final String REGISTRY_APPROVAL = "registry-approval";

  private Markers() {}

  static List<ReportData.Marker> collect(Scenario scenario, LocalRuntime runtime, List<ReportData.RollbackFacts> rollbacks) {
    Instant t0 = scenario.start();
    List<ReportData.Marker> out = new ArrayList<>();
    approvals(runtime, t0, out);
    List<Execution> executions = runtime.stepFunctions().executions();
    Map<String, String> endpoints = planEndpoints(runtime);
    for (Execution e : executions) {
      Execution.Snapshot s = e.snapshot();
      double start = ReportData.seconds(t0, s.startDate());
      JsonNode input = s.input() == null ? null : LocalJson.parse(s.input());
      JsonNode trigger = input == null ? LocalJson.object() : input.path("trigger");
      String action = input == null ? "" : input.path("action").asText("");
      out.add(new ReportData.Marker(start, "execution-start", null, "started " + s.name(),
          TimelineLine.clock(start) + " execution " + s.name() + " started" + (action.isEmpty() ? "" : ": " + action)
              + (endpoints.containsKey(s.name()) ? " on " + endpoints.get(s.name()) : "")));
      if (!trigger.path("source").asText(REGISTRY_APPROVAL).equals(REGISTRY_APPROVAL)) {
        out.add(new ReportData.Marker(start, "operator", action, action + " (" + trigger.path("source").asText() + ")",
            TimelineLine.clock(start) + " operator action " + action + " by " + trigger.path("by").asText("?")
                + " from the " + trigger.path("source").asText() + (input.hasNonNull("reason") ? ": " + input.get("reason").asText() : "")));
      }
      if (s.stopDate() != null) {
        double stop = ReportData.seconds(t0, s.stopDate());
        String outcome = ScenarioReport.outcome(s);
        out.add(new ReportData.Marker(stop, "execution-end", outcome, s.name() + " " + outcome,
            TimelineLine.clock(stop) + " execution " + s.name() + " ended " + outcome + (s.cause() != null ? ": " + s.cause() : "")));
      }
    }
    sageMakerCalls(runtime, t0, executions, endpoints, rollbacks, out);
    for (AlarmTransition t : runtime.cloudWatch().transitions()) {
      double at = ReportData.seconds(t0, t.at());
      out.add(new ReportData.Marker(at, "alarm", t.to().name(), t.alarmName() + " → " + t.to().name(),
          TimelineLine.clock(at) + " alarm " + t.alarmName() + ": " + t.from().name() + " → " + t.to().name()
              + (t.reason() == null ? "" : " — " + t.reason())));
    }
    for (Scenario.Event ev : scenario.timeline()) {
      switch (ev.action()) {
        case "fault", "setAlarmState" -> out.add(new ReportData.Marker(ev.at(), "fault", ev.action(), ev.action(),
            TimelineLine.clock(ev.at()) + " scenario " + ev.action() + " " + LocalJson.write(ev.spec())));
        case "stopExecution", "updatePackageMetadata" -> out.add(new ReportData.Marker(ev.at(), "operator", ev.action(),
            ev.action(), TimelineLine.clock(ev.at()) + " operator " + ev.action() + " " + LocalJson.write(ev.spec())));
        default -> {
          // approvals show as the registry's event; console inputs as the execution they start
        }
      }
    }
    out.sort(Comparator.comparingDouble(ReportData.Marker::at));
    return out;
  }

  /** Approvals and rejections as the Model Registry announced them (one marker for its duplicate events). */
  private static void approvals(LocalRuntime runtime, Instant t0, List<ReportData.Marker> out) {
    Set<String> seen = new HashSet<>();
    for (BusEvent be : runtime.events().events()) {
      JsonNode ev = be.event();
      JsonNode d = ev.path("detail");
      if (!ev.path("detail-type").asText().equals("SageMaker Model Package State Change")) {
        continue;
      }
      String status = d.path("ModelApprovalStatus").asText();
      boolean changed = false;
      for (JsonNode f : d.path("UpdatedModelPackageFields")) {
        changed |= f.asText().equals("ModelApprovalStatus");
      }
      String version = d.path("ModelPackageGroupName").asText() + "/" + d.path("ModelPackageVersion").asText();
      double at = ReportData.seconds(t0, be.receivedAt());
      if (!changed || !(status.equals("Approved") || status.equals("Rejected")) || !seen.add(at + version + status)) {
        continue;
      }
      out.add(new ReportData.Marker(at, "approval", status, status.toLowerCase(java.util.Locale.ROOT) + " " + version,
          TimelineLine.clock(at) + " model package " + version + " " + status
              + (d.hasNonNull("ApprovalDescription") ? ": " + d.get("ApprovalDescription").asText() : "")));
    }
  }

  private static void sageMakerCalls(LocalRuntime runtime, Instant t0, List<Execution> executions,
      Map<String, String> endpoints, List<ReportData.RollbackFacts> rollbacks, List<ReportData.Marker> out) {
    Map<String, List<HistoryEvent>> histories = new HashMap<>();
    executions.forEach(e -> histories.put(e.name(), e.history()));
    Set<Double> restoreCalls = new HashSet<>();
    rollbacks.forEach(r -> {
      if (r.restoreCallAt() != null) {
        restoreCalls.add(r.restoreCallAt());
      }
    });
    for (SageMakerMutation m : runtime.sageMaker().mutations()) {
      if (!m.accepted() || !(m.operation().equals(WEIGHTS_CALL) || m.operation().equals(UPDATE_CALL))) {
        continue;
      }
      double at = ReportData.seconds(t0, m.time());
      String[] who = attribute(m, executions, endpoints, histories);
      boolean weights = m.operation().equals(WEIGHTS_CALL);
      String kind;
      if (who == null) {
        // Nothing of this endpoint was running: the reconciler returning it to its baseline.
        kind = weights ? "rollback-weights" : "rollback-config";
      } else if (weights) {
        kind = restoreCalls.contains(at) || RESTORE_WEIGHTS_STATES.contains(who[1]) ? "rollback-weights" : "weight-shift";
      } else {
        kind = RESTORE_CONFIG_STATES.contains(who[1]) ? "rollback-config" : "update-endpoint";
      }
      String label = switch (kind) {
        case "rollback-weights" -> "weights back to the baseline";
        case "rollback-config" -> "original config back";
        case "weight-shift" -> "weight shift";
        default -> "UpdateEndpoint";
      };
      String by = who == null ? "outside any running execution (the reconciler)"
          : restoreCalls.contains(at) && weights ? "by the alarm function, while " + who[0] + " was in '" + who[1] + "'"
          : "while " + who[0] + " was in '" + who[1] + "'";
      out.add(new ReportData.Marker(at, kind, m.operation(), label, TimelineLine.clock(at) + " " + m.operation() + " on "
          + m.endpointName() + " accepted, " + by + settled(runtime, m, t0)));
    }
  }

  /** What DescribeEndpoint showed once the endpoint was InService again after the call. */
  private static String settled(LocalRuntime runtime, SageMakerMutation m, Instant t0) {
    for (EndpointMoment moment : runtime.sageMaker().visibleHistory(m.endpointName())) {
      if (moment.at().isAfter(m.time()) && moment.status().equals("InService")) {
        StringBuilder b = new StringBuilder();
        double total = moment.currentWeights().values().stream().mapToDouble(Double::doubleValue).sum();
        new java.util.TreeMap<>(moment.currentWeights()).forEach((v, w) -> b.append(b.isEmpty() ? "" : ", ").append(v).append(' ')
            .append(total > 0 ? Math.round(100 * w / total) : 0).append('%'));
        return "; InService again " + TimelineLine.clock(ReportData.seconds(t0, moment.at())) + " on "
            + moment.configName() + " with weights " + b;
      }
    }
    return "";
  }

  /** {execution, state} of the endpoint's execution that most recently entered a state at the call's instant, or null. */
  private static String[] attribute(SageMakerMutation m, List<Execution> executions, Map<String, String> endpoints,
      Map<String, List<HistoryEvent>> histories) {
    String[] best = null;
    Instant bestAt = null;
    for (Execution e : executions) {
      Execution.Snapshot s = e.snapshot();
      if (!m.endpointName().equals(endpoints.get(s.name())) || m.time().isBefore(s.startDate())
          || (s.stopDate() != null && m.time().isAfter(s.stopDate()))) {
        continue;
      }
      for (HistoryEvent h : histories.get(s.name())) {
        if (h.timestamp().isAfter(m.time())) {
          break;
        }
        if (h.type().endsWith("StateEntered") && (bestAt == null || !h.timestamp().isBefore(bestAt))) {
          bestAt = h.timestamp();
          best = new String[] {s.name(), h.details().path("name").asText()};
        }
      }
    }
    return best;
  }

  /** The endpoint each execution's plan names (executions refused before planning have none). */
  static Map<String, String> planEndpoints(LocalRuntime runtime) {
    Map<String, String> out = new HashMap<>();
    for (Execution e : runtime.stepFunctions().executions()) {
      for (HistoryEvent h : e.history()) {
        if (h.type().endsWith("StateExited") && PLAN_STATE.equals(h.details().path("name").asText())) {
          String output = h.details().path("output").asText(null);
          JsonNode plan = output == null ? null : LocalJson.parse(output);
          if (plan != null && plan.hasNonNull("endpointName")) {
            out.put(e.name(), plan.get("endpointName").asText());
          }
          break;
        }
      }
    }
    return out;
  }
}
