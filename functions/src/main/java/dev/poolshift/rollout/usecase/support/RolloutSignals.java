package dev.poolshift.rollout.usecase.support;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.observe.RolloutMeasures;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.Dashboards;
import dev.poolshift.rollout.port.EndpointDashboard;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.RolloutEnd;
import dev.poolshift.rollout.port.RolloutMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the steps tell on-call besides notifications: Poolshift's metrics and the endpoint's
 * dashboard. Neither decides anything: a dashboard CloudWatch would not take is logged and the
 * rollout goes on (what protects the endpoint is the alarms, not the picture of them).
 */
public final class RolloutSignals {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutSignals.class);

  private final RolloutMetrics metrics;
  private final Dashboards dashboards;

  public RolloutSignals(RolloutMetrics metrics, Dashboards dashboards) {
    this.metrics = metrics;
    this.dashboards = dashboards;
  }

  /**
   * The rollout holds its endpoint: counted, and the endpoint's dashboard is put for the fleets
   * the plan brings. A return to the previous release brings no new fleet: the dashboard the
   * rollout it undoes put already names that release's types, and is kept.
   */
  public void started(PlanDocument plan, ExecutionRef exec) {
    metrics.rolloutStarted(plan.endpointName(), exec.name(), plan.action());
    if (plan.rollout() == null && plan.components() == null) {
      return;
    }
    EndpointDashboard d = dashboard(plan, null);
    try {
      dashboards.put(d);
      LOG.info("endpoint dashboard put", entry("dashboardName", d.name()),
          entry("instanceTypes", d.instanceTypes()));
    } catch (RolloutException e) {
      LOG.warn("endpoint dashboard not put; the rollout goes on",
          entry("dashboardName", d.name()), entry("errorType", e.getClass().getName()),
          entry("errorMessage", e.getMessage()));
    }
  }

  public void judged(PlanDocument plan, ExecutionRef exec, String verdict) {
    metrics.stepJudged(plan.endpointName(), exec.name(), verdict);
  }

  public void held(PlanDocument plan, ExecutionRef exec) {
    metrics.held(plan.endpointName(), exec.name());
  }

  /** The workflow turned around: T_act from the canary alarm, when one turned it. */
  public void turnedAround(PlanDocument plan, ExecutionRef exec, Optional<ActiveRollout> rollout,
      Instant now) {
    rollout.flatMap(r -> RolloutMeasures.alarmAt(r.history(), r.stop())).ifPresent(at ->
        metrics.alarmReaction(
        plan.endpointName(), exec.name(),
        Math.max(0, Duration.between(at, now).toMillis() / 1000.0)));
  }

  /**
   * The rollout ended. {@code rollbackFailed}: the way back could not be verified, or a return
   * to the previous release failed.
   */
  public void ended(PlanDocument plan, ExecutionRef exec, Outcome outcome,
      List<HistoryEntry> history, Instant startedAt, Instant now, boolean rollbackFailed) {
    metrics.rolloutEnded(RolloutMeasures.end(plan.endpointName(), exec.name(), outcome, history,
        startedAt, now, rollbackFailed));
  }

  /** A start refused before it held the endpoint: ended, nothing measured but the outcome. */
  public void refused(String endpointName, String executionName, Outcome outcome) {
    metrics.rolloutEnded(new RolloutEnd(endpointName, executionName, outcome, 0, null, null, Map.of(),
        false));
  }

  /** The endpoint's dashboard for this plan: every variant and type its fleets may run on. */
  public static EndpointDashboard dashboard(PlanDocument plan, EndpointState endpoint) {
    List<String> variants = new ArrayList<>();
    if (plan.baseline() != null && plan.baseline().variantName() != null) {
      variants.add(plan.baseline().variantName());
    }
    if (plan.canaryVariantName() != null && !variants.contains(plan.canaryVariantName())) {
      variants.add(plan.canaryVariantName());
    }
    if (endpoint != null) {
      endpoint.productionVariants().forEach(v -> {
        if (!variants.contains(v.variantName())) {
          variants.add(v.variantName());
        }
      });
    }
    List<EndpointConfigSpec> configs = plan.rollout() == null ? List.of()
        : List.of(plan.rollout().canaryConfig(), plan.rollout().finalConfig());
    List<String> types = new ArrayList<>(RolloutMeasures.instanceTypes(endpoint, configs));
    if (plan.components() != null) {
      // An inference-component rollout keeps its config: the pools it carries are the types.
      plan.components().pools().stream()
          .sorted(java.util.Comparator.comparingInt(InstancePool::priority))
          .map(InstancePool::instanceType).filter(t -> !types.contains(t)).forEach(types::add);
    }
    return new EndpointDashboard(EndpointDashboard.nameFor(plan.endpointName()),
        plan.endpointName(), variants, types, plan.allAlarms());
  }
}
