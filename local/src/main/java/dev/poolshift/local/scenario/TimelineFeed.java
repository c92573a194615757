package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.events.BusEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.local.sfn.Execution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The timeline of a run, read from what the runtime records — execution histories, SageMaker
 * mutations, Application Auto Scaling changes, the events on the bus, the scenario's own timeline —
 * as the run progresses: each {@link #poll} returns only what was recorded since the previous one.
 * Every source is append-only and stamped with the virtual time it happened at, so polling after
 * each instant yields lines in time order.
 *
 * <p>A rollback's measurements (first 5xx, T_act, baseline restored) are only known once its
 * execution has ended, so they are one line at the execution's end that names their instants.
 */
final class TimelineFeed {
  private final Scenario scenario;
  private final Instant t0;
  private final List<TimelineLine> lines = new ArrayList<>();
  private final Map<String, Integer> historySeen = new HashMap<>();
  private final Set<String> ended = new HashSet<>();
  private int mutationsSeen;
  private int autoscalingSeen;
  private int busSeen;
  private String lastBusLine;
  private int iamSeen;
  /** Timeline entries already printed, by their index in the file. */
  private final java.util.Set<Integer> timelineSeen = new java.util.HashSet<>();
  /** The timeline as played so far: entries waiting for a workflow moment appear when they ran. */
  private final java.util.function.Supplier<List<Scenario.Event>> played;

  TimelineFeed(Scenario scenario) {
    this(scenario, scenario::timeline);
  }

  TimelineFeed(Scenario scenario, java.util.function.Supplier<List<Scenario.Event>> played) {
    this.scenario = scenario;
    this.played = played;
    this.t0 = scenario.start();
  }

  /** Every line so far, in the order {@link #poll} returned them. */
  List<TimelineLine> lines() {
    return List.copyOf(lines);
  }

  /** The lines recorded since the previous call, in time order. */
  List<TimelineLine> poll(LocalRuntime runtime) {
    List<TimelineLine> out = new ArrayList<>();
    executions(runtime, out);
    List<SageMakerMutation> mutations = runtime.sageMaker().mutations();
    for (SageMakerMutation m : mutations.subList(mutationsSeen, mutations.size())) {
      if (m.accepted()) {
        out.add(line(m.time(), "  sagemaker " + m.operation()
            + (m.endpointName() != null ? " " + m.endpointName() : "") + (m.resource() != null ? " (" + m.resource() + ")" : "")));
      }
    }
    mutationsSeen = mutations.size();
    var changes = runtime.autoScaling().changes();
    for (var c : changes.subList(autoscalingSeen, changes.size())) {
      out.add(line(c.time(), "  application-autoscaling " + c.operation()
          + (c.resourceId() != null ? " " + c.resourceId() : "") + (c.name() != null ? " (" + c.name() + ")" : "")));
    }
    autoscalingSeen = changes.size();
    busEvents(runtime, out);
    var denials = runtime.iam().denials();
    for (var denial : denials.subList(iamSeen, denials.size())) {
      out.add(line(denial.at(), IamReport.line(denial, runtime.iam().mode())));
    }
    iamSeen = denials.size();
    Instant now = runtime.simulation().now();
    for (Scenario.Event ev : played.get()) {
      if (ev.when() == null && t0.plusMillis(Math.round(ev.at() * 1000)).isAfter(now)) {
        continue;
      }
      if (timelineSeen.add(ev.index())) {
        out.add(new TimelineLine(ev.at(), "timeline: " + ev.action() + " " + LocalJson.write(ev.spec())
            + (ev.when() == null ? "" : " (when " + ev.when().describe() + ")")));
      }
    }
    out.sort(Comparator.comparingDouble(TimelineLine::atSeconds));
    lines.addAll(out);
    return out;
  }

  private void executions(LocalRuntime runtime, List<TimelineLine> out) {
    for (Execution e : runtime.stepFunctions().executions()) {
      if (ended.contains(e.arn())) {
        // Its history is complete and every line of it told: a fleet's finished executions cost nothing.
        continue;
      }
      Execution.Snapshot s = e.snapshot();
      Integer seen = historySeen.get(s.executionArn());
      if (seen == null) {
        out.add(line(s.startDate(), "execution " + s.name() + " started"));
        seen = 0;
      }
      List<HistoryEvent> fresh = e.historyFrom(seen);
      for (HistoryEvent h : fresh) {
        if (h.type().endsWith("StateEntered") && !h.type().startsWith("Choice") && !h.type().startsWith("Pass")) {
          out.add(line(h.timestamp(), "  " + s.name() + " > " + h.details().path("name").asText()));
        }
      }
      historySeen.put(s.executionArn(), seen + fresh.size());
      if (s.stopDate() != null && ended.add(s.executionArn())) {
        String outcome = ScenarioReport.outcome(s);
        out.add(line(s.stopDate(), "execution " + s.name() + " " + s.status().name()
            + " (" + outcome + ")" + (s.cause() != null ? ": " + s.cause() : "")));
        RollbackReport.of(runtime, e).ifPresent(r -> out.add(line(s.stopDate(), rollbackLine(r))));
      }
    }
  }

  private void busEvents(LocalRuntime runtime, List<TimelineLine> out) {
    List<BusEvent> events = runtime.events().events();
    for (BusEvent be : events.subList(busSeen, events.size())) {
      JsonNode ev = be.event();
      JsonNode d = ev.path("detail");
      String text = switch (ev.path("detail-type").asText()) {
        case "SageMaker Endpoint State Change" -> "endpoint " + d.path("EndpointName").asText() + " "
            + d.path("EndpointStatus").asText() + (d.hasNonNull("FailureReason") ? " — " + d.get("FailureReason").asText() : "");
        case "SageMaker Model Package State Change" -> "model package " + d.path("ModelPackageGroupName").asText() + "/"
            + d.path("ModelPackageVersion").asText() + " " + d.path("ModelApprovalStatus").asText()
            + " (changed: " + d.path("UpdatedModelPackageFields") + ")";
        case "CloudWatch Alarm State Change" -> "alarm " + d.path("alarmName").asText() + " → " + d.path("state").path("value").asText();
        default -> null;
      };
      // SageMaker sends several events per change; one line is enough.
      if (text != null && !text.equals(lastBusLine)) {
        out.add(line(be.receivedAt(), text));
      }
      lastBusLine = text;
    }
    busSeen = events.size();
  }

  private String rollbackLine(RollbackReport.Rollback r) {
    StringBuilder b = new StringBuilder("rollback of ").append(r.execution()).append(':');
    if (r.firstErrorAt() != null) {
      b.append(" first 5xx ").append(at(r.firstErrorAt())).append(';');
    }
    if (r.alarmAt() != null) {
      b.append(" alarm ").append(r.alarmName()).append(" in ALARM ").append(at(r.alarmAt())).append(';');
    }
    if (r.restoreCallAt() != null) {
      b.append(" weights back to the baseline accepted ").append(at(r.restoreCallAt()));
      if (r.alarmAt() != null) {
        b.append(String.format(" (T_act %.3f s after the alarm)", RollbackReport.seconds(r.alarmAt(), r.restoreCallAt())));
      }
      b.append(';');
    }
    if (r.baselineRestoredAt() != null) {
      b.append(" DescribeEndpoint shows all traffic on the baseline from ").append(at(r.baselineRestoredAt()));
      if (r.firstErrorAt() != null) {
        b.append(String.format(" (%.1f s after the first 5xx)", RollbackReport.seconds(r.firstErrorAt(), r.baselineRestoredAt())));
      }
    } else {
      b.append(" the version that served when it started is not serving all traffic");
    }
    return b.toString();
  }

  private String at(Instant t) {
    return TimelineLine.clock(seconds(t));
  }

  private TimelineLine line(Instant at, String text) {
    return new TimelineLine(seconds(at), text);
  }

  private double seconds(Instant t) {
    return Duration.between(t0, t).toMillis() / 1000.0;
  }
}
