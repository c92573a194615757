package dev.poolshift.local.scenario;

import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.EndpointMoment;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import dev.poolshift.local.scenario.TimelineTrigger.Kind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Watches the runtime for the moments the timeline's {@code when} entries wait for, and hands each
 * entry to {@code due} with the instant it should run once its moment has come the
 * {@code occurrence}-th time. Moments are taken where they happen, not from events about them
 * (EventBridge may delay, double or lose those on purpose): a state entry from the execution's
 * history, an endpoint status from what DescribeEndpoint shows, an alarm state from CloudWatch's
 * own state change. Counting starts when the timeline starts playing: the status an endpoint was
 * seeded with is not an occurrence.
 */
final class TimelineTriggers {
  private static final class Armed {
    final Scenario.Event event;
    final TimelineTrigger trigger;
    int seen;
    boolean fired;

    Armed(Scenario.Event event) {
      this.event = event;
      this.trigger = event.when();
    }
  }

  private final List<Armed> armed = new ArrayList<>();
  private final BiConsumer<Scenario.Event, Instant> due;
  private final SageMakerWorld world;
  /** Per watched endpoint: how many moments of its visible history were looked at, and its last status. */
  private final Map<String, Integer> momentsSeen = new HashMap<>();
  private final Map<String, String> lastStatus = new HashMap<>();

  private TimelineTriggers(SageMakerWorld world, BiConsumer<Scenario.Event, Instant> due) {
    this.world = world;
    this.due = due;
  }

  /** Starts watching for the moments of the scenario's {@code when} entries. */
  static TimelineTriggers arm(Scenario scenario, LocalRuntime runtime, BiConsumer<Scenario.Event, Instant> due) {
    TimelineTriggers t = new TimelineTriggers(runtime.sageMaker(), due);
    Set<Kind> kinds = new LinkedHashSet<>();
    Set<String> endpoints = new LinkedHashSet<>();
    for (Scenario.Event e : scenario.timeline()) {
      if (e.when() != null) {
        t.armed.add(new Armed(e));
        kinds.add(e.when().kind());
        if (e.when().kind() == Kind.ENDPOINT_STATUS) {
          endpoints.add(e.when().subject());
        }
      }
    }
    if (kinds.contains(Kind.STATE_ENTERED)) {
      runtime.stepFunctions().onHistoryEvent(t::historyEvent);
    }
    if (kinds.contains(Kind.ALARM_STATE)) {
      runtime.cloudWatch().onTransition(c -> t.moment(Kind.ALARM_STATE, c.to().name(), c.alarmName(), c.at()));
    }
    if (kinds.contains(Kind.ENDPOINT_STATUS)) {
      synchronized (t) {
        for (String endpoint : endpoints) {
          List<EndpointMoment> seen = t.world.visibleHistory(endpoint);
          t.momentsSeen.put(endpoint, seen.size());
          t.lastStatus.put(endpoint, seen.isEmpty() ? null : seen.get(seen.size() - 1).status());
        }
      }
      // SageMakerWorld records what DescribeEndpoint shows before telling later listeners.
      runtime.sageMaker().onServingChange(t::endpointsChanged);
    }
    return t;
  }

  /** Entries whose moment has not come (yet). */
  synchronized List<Scenario.Event> waiting() {
    return armed.stream().filter(a -> !a.fired).map(a -> a.event).toList();
  }

  private void historyEvent(String executionArn, String executionName, HistoryEvent event) {
    if (event.type().endsWith("StateEntered") && event.details() != null) {
      moment(Kind.STATE_ENTERED, event.details().path("name").asText(), executionName, event.timestamp());
    }
  }

  private synchronized void endpointsChanged() {
    for (Map.Entry<String, Integer> e : momentsSeen.entrySet()) {
      String endpoint = e.getKey();
      List<EndpointMoment> history = world.visibleHistory(endpoint);
      for (int i = e.getValue(); i < history.size(); i++) {
        EndpointMoment m = history.get(i);
        if (!m.status().equals(lastStatus.get(endpoint))) {
          lastStatus.put(endpoint, m.status());
          moment(Kind.ENDPOINT_STATUS, m.status(), endpoint, m.at());
        }
      }
      e.setValue(history.size());
    }
  }

  /** {@code name} (an execution, endpoint or alarm) reached {@code value} at {@code at}. */
  private synchronized void moment(Kind kind, String value, String name, Instant at) {
    for (Armed a : armed) {
      TimelineTrigger t = a.trigger;
      if (a.fired || t.kind() != kind || !t.value().equals(value) || !t.matches(name)) {
        continue;
      }
      a.seen++;
      if (a.seen == t.occurrence()) {
        a.fired = true;
        due.accept(a.event, at.plus(Math.round(t.afterSeconds() * 1000), ChronoUnit.MILLIS));
      }
    }
  }
}
