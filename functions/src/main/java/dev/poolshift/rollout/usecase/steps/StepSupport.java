package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.currentWeights;
import static dev.poolshift.rollout.usecase.steps.StepSupport.history;
import static dev.poolshift.rollout.usecase.steps.StepSupport.near;
import static dev.poolshift.rollout.usecase.steps.StepSupport.poolMix;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static dev.poolshift.rollout.usecase.steps.StepSupport.startedAt;
import static dev.poolshift.rollout.usecase.steps.StepSupport.stateNames;
import static dev.poolshift.rollout.usecase.steps.StepSupport.weightMap;

import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small conversions the steps share: weights, pool mixes and reasons as people read them. */
final class StepSupport {
  /** Token items outlive their wait by a day, then DynamoDB's TTL removes them. */
  static final long TOKEN_TTL_SLACK_SECONDS = 86_400;

  private StepSupport() {}

  static Map<String, Object> history(Instant at, String kind) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("at", at.toString());
    entry.put("kind", kind);
    return entry;
  }

  static Map<String, Double> weightMap(List<VariantWeight> weights) {
    Map<String, Double> m = new LinkedHashMap<>();
    weights.forEach(w -> m.put(w.variantName(), w.weight()));
    return m;
  }

  static Map<String, Double> currentWeights(EndpointState s) {
    Map<String, Double> m = new LinkedHashMap<>();
    s.productionVariants().forEach(v -> m.put(v.variantName(), v.currentWeight()));
    return m;
  }

  static Map<String, Integer> poolMix(List<PoolCount> pools) {
    Map<String, Integer> m = new LinkedHashMap<>();
    pools.forEach(p -> m.put(p.instanceType(), p.currentInstanceCount()));
    return m;
  }

  static Map<String, String> stateNames(Map<String, AlarmState> states) {
    Map<String, String> m = new LinkedHashMap<>();
    states.forEach((k, v) -> m.put(k, v.name()));
    return m;
  }

  static boolean near(Double actual, double expected) {
    return actual != null && Math.abs(actual - expected) <= EndpointState.WEIGHT_TOLERANCE;
  }

  /** SageMaker's FailureReason, or "(none given)". */
  /**
   * The endpoint now: the read that ended the workflow's last wait when it is still fresh (see
   * {@link Observation#freshAt}), else DescribeEndpoint. Verifications right after a wait judge
   * that read rather than ask SageMaker again milliseconds later.
   */
  static EndpointState endpointNow(Endpoints endpoints, String endpointName,
      Observation observation, Instant now) {
    if (observation != null) {
      java.util.Optional<EndpointState> fresh = observation.freshAt(endpointName, now);
      if (fresh.isPresent()) {
        return fresh.get();
      }
    }
    return endpoints.describe(endpointName);
  }

  static String reason(EndpointState s) {
    return s.failureReason() == null || s.failureReason().isBlank() ? "(none given)"
        : s.failureReason();
  }

  static Instant startedAt(ExecutionRef exec, Instant now) {
    try {
      return exec.startTime() == null ? now : Instant.parse(exec.startTime());
    } catch (DateTimeParseException e) {
      return now;
    }
  }
}
