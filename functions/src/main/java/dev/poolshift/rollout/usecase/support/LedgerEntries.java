package dev.poolshift.rollout.usecase.support;

import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.LedgerRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds ledger records: the evidence an operator (or a later rollback) reads. */
public final class LedgerEntries {
  private LedgerEntries() {}

  /**
   * @param history the active rollout's history (shifts, verdicts, alarms), empty when gone
   * @param observation the workflow's last DescribeEndpoint observation, or null
   */
  public static LedgerRecord fromPlan(PlanDocument plan, ExecutionRef exec, Outcome outcome,
      Failure failure, Observation observation, List<HistoryEntry> history,
      Instant now) {
    return fromPlan(plan, exec, outcome, failure, observation, history, 0, now);
  }

  /**
   * @param sageMakerRetries how many times the rollout's SageMaker calls were retried after its
   *     plan and before this record (the recording step's own retries come after it); the
   *     record reports them with the plan's
   */
  public static LedgerRecord fromPlan(PlanDocument plan, ExecutionRef exec, Outcome outcome,
      Failure failure, Observation observation, List<HistoryEntry> history, int sageMakerRetries,
      Instant now) {
    Instant started = startedAt(exec, now);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("action", plan.action());
    details.put("trigger", trigger(plan.trigger().source(), plan.trigger().by(),
        plan.trigger().eventId()));
    if (plan.reason() != null) {
      details.put("reason", plan.reason());
    }
    details.put("modelPackageGroup", plan.modelPackageGroup());
    details.put("modelPackageVersion", plan.modelPackageVersion());
    Map<String, Object> baseline = new LinkedHashMap<>();
    baseline.put("endpointConfigName", plan.baseline().endpointConfigName());
    baseline.put("variantName", plan.baseline().variantName());
    baseline.put("weight", plan.baseline().weight());
    // The package the endpoint served before: what a later rollback names as the release
    // it returns to.
    baseline.put("modelPackageArn", plan.baseline().modelPackageArn());
    details.put("baseline", baseline);
    if (plan.restore() != null) {
      Map<String, Object> restore = new LinkedHashMap<>();
      restore.put("endpointConfigName", plan.restore().endpointConfigName());
      restore.put("modelPackageArn", plan.restore().modelPackageArn());
      restore.put("undoesExecution", plan.restore().undoesExecution());
      details.put("restore", restore);
    }
    if (plan.components() != null) {
      // What a later console rollback puts back: each component's previous specifications.
      details.put("components", plan.components().restores().stream().map(r -> {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("inferenceComponentName", r.inferenceComponentName());
        c.put("specifications", r.specifications().stream()
            .map(dev.poolshift.rollout.component.ComponentSpecification::toWire).toList());
        return c;
      }).toList());
    }
    if (plan.rollout() != null) {
      // What shipped: the package ARN, or the model a migrate copied onto the pools when it did
      // not come from the registry (modelPackageArn is empty then).
      details.put("release", plan.rollout().release());
      details.put("canaryConfigName", plan.canaryConfigName());
      details.put("finalConfigName", plan.finalConfigName());
      details.put("canaryVariantName", plan.canaryVariantName());
      details.put("steps", plan.steps());
      details.put("bakeSeconds", plan.bakeSeconds());
      details.put("requestedPools", plan.rollout().requestedPools().stream()
          .map(p -> p.priority() + ":" + p.instanceType()).toList());
      details.put("configDiff", plan.configDiff().stream().map(c -> {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", c.path());
        d.put("before", String.valueOf(c.before()));
        d.put("after", String.valueOf(c.after()));
        return d;
      }).toList());
    }
    if (!plan.overridden().isEmpty()) {
      details.put("overridden", plan.overridden());
    }
    details.put("alarms", plan.alarms());
    details.put("history", history);
    if (observation != null) {
      details.put("lastObservation", observationDetails(observation));
    }
    if (failure != null) {
      details.put("failure", failure(failure));
    }
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("startedAt", started.toString());
    history.stream().filter(HistoryEntry.Locked.class::isInstance).findFirst()
        .ifPresent(h -> timings.put("lockedAt", h.at().toString()));
    timings.put("endedAt", now.toString());
    details.put("timings", timings);
    details.put("durationSeconds", Duration.between(started, now).toSeconds());
    details.put("sageMakerRetries", plan.sageMakerRetries() + sageMakerRetries);
    String configAfter = configAfter(outcome, plan, observation);
    return new LedgerRecord(plan.endpointName(), started, exec.name(), exec.id(), outcome,
        plan.modelPackageArn(), plan.baseline().endpointConfigName(), configAfter, now, details);
  }

  /** For a rollout the workflow could not finish (the reconciler's record). */
  public static LedgerRecord fromRollout(ActiveRollout rollout, Outcome outcome, String why,
      String configAfter, Instant now) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (rollout.trigger() != null) {
      details.put("trigger", trigger(rollout.trigger().source(), rollout.trigger().by(),
          rollout.trigger().eventId()));
    }
    details.put("baseline", Map.of("endpointConfigName", rollout.baselineConfigName(),
        "variantName", rollout.baselineVariantName(), "weight", rollout.baselineWeight()));
    details.put("canaryConfigName", rollout.canaryConfigName());
    details.put("finalConfigName", rollout.finalConfigName());
    details.put("alarms", rollout.alarmNames());
    details.put("history", rollout.history());
    details.put("reconciled", why);
    Instant started = rollout.startedAt() == null ? now : rollout.startedAt();
    details.put("durationSeconds", Duration.between(started, now).toSeconds());
    return new LedgerRecord(rollout.endpointName(), started, rollout.executionName(),
        rollout.executionArn(), outcome, rollout.modelPackageArn(),
        rollout.baselineConfigName(), configAfter, now, details);
  }

  /** A start refused or failed before it held the endpoint: no configs, the reason. */
  public static LedgerRecord refused(Refusal r, ExecutionRef exec, Outcome outcome,
      Failure failure, Instant now) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("action", r.action());
    details.put("trigger", trigger(r.trigger().source(), r.trigger().by(),
        r.trigger().eventId()));
    if (r.reason() != null) {
      details.put("reason", r.reason());
    }
    if (failure != null) {
      details.put("failure", failure(failure));
    }
    return new LedgerRecord(r.endpointName(), startedAt(exec, now), exec.name(), exec.id(),
        outcome, r.modelPackageArn(), null, null, now, details);
  }

  static Map<String, Object> failure(Failure failure) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("error", failure.error());
    f.put("message", failure.message());
    f.put("during", failure.during());
    return f;
  }

  private static Map<String, Object> trigger(String source, String by, String eventId) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("source", source);
    t.put("by", by);
    t.put("eventId", eventId);
    return t;
  }

  private static String configAfter(Outcome outcome, PlanDocument plan,
      Observation observation) {
    if (observation != null && observation.endpointConfigName() != null) {
      return observation.endpointConfigName();
    }
    if (plan.isRollback()) {
      return outcome == Outcome.ROLLED_BACK ? plan.restore().endpointConfigName()
          : plan.baseline().endpointConfigName();
    }
    return outcome == Outcome.PROMOTED ? plan.finalConfigName()
        : plan.baseline().endpointConfigName();
  }

  /** The last DescribeEndpoint the workflow saw, as the ledger keeps it: where traffic was. */
  private static Map<String, Object> observationDetails(Observation o) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("status", o.status());
    d.put("endpointConfigName", o.endpointConfigName());
    d.put("pendingConfigName", o.pendingConfigName());
    d.put("failureReason", o.failureReason());
    Map<String, Object> weights = new LinkedHashMap<>();
    o.variants().forEach(v -> weights.put(v.variantName(), v.currentWeight()));
    d.put("weights", weights);
    return d;
  }

  private static Instant startedAt(ExecutionRef exec, Instant now) {
    if (exec.startTime() != null) {
      try {
        return Instant.parse(exec.startTime());
      } catch (DateTimeParseException e) {
        // Step Functions always sends ISO-8601; a hand-written input may not.
        return now;
      }
    }
    return now;
  }
}
