package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.local.sfn.Execution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who wrote to which endpoint, from evidence the code under test does not produce: each
 * execution's history says when it took an endpoint's lock and when it let go (the Task states
 * that did it succeeded), and the SageMaker simulator's mutation log says when each write to an
 * endpoint happened. {@link #assertOneWriterAtATime} then holds the rule "never two executions
 * mutating one endpoint": hold windows on one endpoint never overlap, and every endpoint write
 * falls inside exactly one of them (the alarm function's weight reset acts for the holder).
 * An execution that ends without letting go (one that needs a person) holds to the end of time.
 */
final class EndpointWriters {
  private static final Set<String> LOCKS = Set.of("Lock the endpoint",
      "Lock the endpoint for the rollback");
  private static final Set<String> RELEASES = Set.of("Release the lock",
      "Release the lock after rollback", "Release the lock after a failed start",
      "Release the endpoint after the return", "Record the failed return");

  /** One execution's hold on one endpoint; {@code until} null = never let go. */
  record Hold(String execution, String endpoint, Instant from, Instant until) {
    boolean covers(Instant t) {
      return !t.isBefore(from) && (until == null || !t.isAfter(until));
    }

    boolean overlaps(Hold o) {
      return (until == null || !o.from.isAfter(until)) && (o.until == null || !from.isAfter(o.until));
    }
  }

  private EndpointWriters() {}

  static List<Hold> holds(LocalRuntime runtime) {
    List<Hold> holds = new ArrayList<>();
    for (Execution e : runtime.stepFunctions().executions()) {
      String endpoint = endpointOf(e);
      String state = null;
      Instant from = null;
      for (HistoryEvent h : e.history()) {
        if (h.type().endsWith("StateEntered")) {
          state = h.details().path("name").asText();
        } else if (h.type().equals("TaskSucceeded") && state != null) {
          if (LOCKS.contains(state) && from == null) {
            from = h.timestamp();
          } else if (RELEASES.contains(state) && from != null) {
            holds.add(new Hold(e.name(), endpoint, from, h.timestamp()));
            from = null;
          }
        }
      }
      if (from != null) {
        holds.add(new Hold(e.name(), endpoint, from, null));
      }
    }
    return holds;
  }

  /** Each accepted write to an endpoint, with the executions holding that endpoint at the time. */
  static Map<SageMakerMutation, List<String>> writers(LocalRuntime runtime) {
    List<Hold> holds = holds(runtime);
    Map<SageMakerMutation, List<String>> out = new LinkedHashMap<>();
    for (SageMakerMutation m : runtime.sageMaker().mutations()) {
      if (m.accepted() && m.endpointName() != null) {
        out.put(m, holds.stream().filter(h -> h.endpoint().equals(m.endpointName()) && h.covers(m.time()))
            .map(Hold::execution).toList());
      }
    }
    return out;
  }

  static void assertOneWriterAtATime(LocalRuntime runtime) {
    List<Hold> holds = holds(runtime);
    for (int i = 0; i < holds.size(); i++) {
      for (int j = i + 1; j < holds.size(); j++) {
        Hold a = holds.get(i);
        Hold b = holds.get(j);
        if (a.endpoint().equals(b.endpoint())) {
          assertThat(a.overlaps(b)).as("%s and %s held %s at the same time", a, b, a.endpoint()).isFalse();
        }
      }
    }
    writers(runtime).forEach((m, who) -> assertThat(who)
        .as("executions holding %s when %s was written at %s", m.endpointName(), m.operation(), m.time())
        .hasSize(1));
  }

  /** The endpoint an execution is about: from its plan (the first step's result), else its input. */
  private static String endpointOf(Execution e) {
    for (HistoryEvent h : e.history()) {
      if (h.type().equals("TaskSucceeded")) {
        JsonNode out = dev.poolshift.local.json.LocalJson.parse(h.details().path("output").asText());
        String ep = out.path("Payload").path("endpointName").asText(null);
        if (ep != null) {
          return ep;
        }
      }
    }
    return dev.poolshift.local.json.LocalJson.parse(e.input()).path("endpointName").asText(null);
  }
}
