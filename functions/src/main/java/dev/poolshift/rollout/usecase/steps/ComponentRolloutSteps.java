package dev.poolshift.rollout.usecase.steps;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.component.ComponentPlan;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.VariantMetrics;
import dev.poolshift.rollout.usecase.steps.StepInputs.JudgingComponents;
import dev.poolshift.rollout.usecase.steps.StepInputs.Observing;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.TurningBack;
import dev.poolshift.rollout.usecase.steps.StepResults.Call;
import dev.poolshift.rollout.usecase.steps.StepResults.ComponentsObserved;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.Judgement;
import dev.poolshift.rollout.usecase.steps.StepResults.ReturnCheck;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference-component section of the workflow: update every component with the new version
 * (SageMaker's rolling update under its auto-rollback alarms), read them until they settle
 * (SageMaker sends no event for a component's status, so the workflow reads on a bounded
 * schedule), judge them on their own metrics, and put them back on the specifications they ran
 * before, ending with every copy on the one version they ran.
 */
final class ComponentRolloutSteps {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentRolloutSteps.class);

  private final Ports ports;
  private final StepGuard guard;
  private final EndpointMoves moves;

  ComponentRolloutSteps(Ports ports, StepGuard guard, EndpointMoves moves) {
    this.ports = ports;
    this.guard = guard;
    this.moves = moves;
  }

  /**
   * Moves a variant that is not on pools yet onto them: creates the pooled config (the same
   * variants and config-level settings, the variant on the ranked pools, still naming no model)
   * and UpdateEndpoint onto it. Blue/green: the old fleet serves until the new one is up, and
   * SageMaker places the components' copies on the new instances before it switches. The
   * components keep the specification they run; they are updated once the move is verified.
   */
  Done moveOntoPools(OnPlan in) {
    PlanDocument plan = in.plan();
    EndpointConfigSpec pooled = plan.components().pooledConfig();
    if (pooled == null) {
      throw new InvalidInputException("rollout step moveOntoPools", "plan.components.pooledConfig",
          "is null: the variant already runs on pools and the endpoint config is kept");
    }
    String owner = in.execution().name();
    String ep = plan.endpointName();
    guard.requireNoStop(ep, owner);
    EndpointState before = ports.endpoints().describe(ep);
    String baseline = plan.baseline().endpointConfigName();
    String running = before.endpointConfigName();
    String pending = before.pendingConfigName();
    boolean fromBaseline = baseline.equals(running)
        && (pending == null || baseline.equals(pending) || pooled.name().equals(pending));
    if (!fromBaseline && !pooled.name().equals(running)) {
      throw new IncompatibleEndpointException("endpoint " + ep + " runs config " + running
          + (pending == null ? "" : " (deploying " + pending + ")") + " but the plan was made"
          + " from " + baseline + "; nothing was changed, start the rollout again");
    }
    ports.store().setPhase(ep, owner, RolloutPhase.FINAL_FLEET, null);
    ports.endpoints().createConfig(pooled);
    moves.suspendScaling(plan, owner, in.now());
    moves.apply(new EndpointUpdate(ep, pooled.name(), true, List.of(), List.of()), before);
    if (before.inService() && pooled.name().equals(running)) {
      moves.noteSettled(ep, in.now());
    }
    LOG.info("endpoint update onto instance pools requested", entry("endpointConfigName",
        pooled.name()), entry("pools", pooled.variant(plan.components().variantName())
            .instancePools().stream().map(InstancePool::instanceType).toList()),
        entry("components", plan.components().componentNames()));
    return Done.INSTANCE;
  }

  /**
   * Back onto the config the endpoint ran before, once every component runs its previous
   * specification again (the order matters: those specifications were made for that fleet).
   */
  Done restoreEndpointConfig(OnPlan in) {
    PlanDocument plan = in.plan();
    String ep = plan.endpointName();
    String baseline = plan.baseline().endpointConfigName();
    ports.store().setPhase(ep, in.execution().name(), RolloutPhase.BASELINE_FLEET, null);
    EndpointState s = ports.endpoints().describe(ep);
    StepGuard.requireWritable(s, ep);
    if (baseline.equals(s.endpointConfigName()) && s.pendingConfigName() == null) {
      // Never moved, or SageMaker rolled the move back itself: nothing to send, so no event.
      moves.noteSettled(ep, in.now());
      LOG.info("endpoint already on its original config", entry("endpointConfigName", baseline),
          entry("status", s.status()));
      return Done.INSTANCE;
    }
    moves.apply(new EndpointUpdate(ep, baseline, true, List.of(), List.of()), s);
    LOG.info("endpoint update back to the original config requested",
        entry("endpointConfigName", baseline), entry("from", s.endpointConfigName()));
    return Done.INSTANCE;
  }

  /**
   * The way back is over when the endpoint is InService on its original config and every
   * component runs, on all its copies, the specification it ran before: all traffic on the one
   * previous version.
   */
  ReturnCheck verifyReturned(OnPlan in) {
    PlanDocument plan = in.plan();
    ComponentPlan c = plan.components();
    EndpointState s = ports.endpoints().describe(plan.endpointName());
    String baseline = plan.baseline().endpointConfigName();
    String problem = !s.inService() ? "endpoint is " + s.status() + " (FailureReason: "
        + StepSupport.reason(s) + ")"
        : !baseline.equals(s.endpointConfigName()) ? "endpoint runs " + s.endpointConfigName()
            + ", not its original config " + baseline
        : s.pendingConfigName() != null ? "endpoint is deploying " + s.pendingConfigName()
        : null;
    for (int i = 0; i < c.restores().size() && problem == null; i++) {
      ComponentUpdate back = c.restores().get(i);
      ComponentState now = ports.components().describe(back.inferenceComponentName());
      boolean placed = now.desiredCopies() == null
          || now.desiredCopies().equals(now.currentCopies());
      problem = !now.inService() ? "inference component " + now.name() + " is " + now.status()
          : !now.specifications().equals(back.specifications()) ? "inference component "
              + now.name() + " does not run the specifications it ran before the rollout"
          : !placed ? "inference component " + now.name() + " has " + now.currentCopies()
              + " of " + now.desiredCopies() + " copies placed"
          : null;
    }
    boolean live = problem == null;
    String reason = live ? "endpoint " + plan.endpointName() + " runs its original config "
        + baseline + " and every copy of " + c.componentNames() + " its previous specification"
        : problem;
    LOG.info("inference components' return verified", entry("live", live),
        entry("status", s.status()), entry("endpointConfigName", s.endpointConfigName()),
        entry("reason", reason));
    return new ReturnCheck(live, EndpointState.NEEDS_A_PERSON.contains(s.status()), false,
        live ? null : DeploymentFailedException.class.getName(), reason);
  }

  /**
   * Creates the components' alarms (SageMaker watches them from the first batch on) and sends
   * each component's update. A retry finds a component already updating to the plan's
   * specifications and leaves it.
   */
  Done updateComponents(OnPlan in) {
    PlanDocument plan = in.plan();
    ComponentPlan c = plan.components();
    String owner = in.execution().name();
    guard.requireNoStop(plan.endpointName(), owner);
    if (c.pooledConfig() != null) {
      requireOnPools(plan);
    }
    ports.store().setPhase(plan.endpointName(), owner, RolloutPhase.FINAL_FLEET, null);
    for (AlarmSpec alarm : c.alarms()) {
      ports.alarms().put(alarm);
    }
    for (ComponentUpdate update : c.updates()) {
      ComponentState now = ports.components().describe(update.inferenceComponentName());
      if (now.specifications().equals(update.specifications())) {
        LOG.info("inference component already on the new version's specifications",
            entry("component", now.name()), entry("status", now.status()));
        continue;
      }
      ports.components().update(update);
      LOG.info("inference component update requested", entry("component", now.name()),
          entry("models", update.specifications().stream().map(s -> s.instanceType() + ": "
              + s.modelName()).toList()), entry("batchPercent", update.batchPercent()),
          entry("waitIntervalSeconds", update.waitIntervalSeconds()),
          entry("autoRollbackAlarms", update.autoRollbackAlarms()));
    }
    return Done.INSTANCE;
  }

  /**
   * Reads every component. Going forward an alarm or a rejection that asked the rollout to turn
   * around stops here; on the way back nothing stops the read.
   */
  ComponentsObserved observeComponents(Observing in) {
    PlanDocument plan = in.plan();
    ComponentPlan c = plan.components();
    boolean forward = in.phase() != RolloutPhase.BASELINE_FLEET;
    if (forward) {
      guard.requireNoStop(plan.endpointName(), in.execution().name());
    }
    boolean settled = true;
    boolean onNew = true;
    boolean onBaseline = true;
    String error = null;
    String reason = null;
    Map<String, Map<String, Integer>> copies = new LinkedHashMap<>();
    for (int i = 0; i < c.updates().size(); i++) {
      ComponentUpdate next = c.updates().get(i);
      ComponentUpdate back = c.restores().get(i);
      ComponentState s = ports.components().describe(next.inferenceComponentName());
      copies.put(s.name(), s.copiesByType());
      boolean inService = s.inService();
      boolean failed = "Failed".equals(s.status());
      boolean placed = s.desiredCopies() == null || s.desiredCopies().equals(s.currentCopies());
      settled &= inService || failed;
      onNew &= inService && placed && s.specifications().equals(next.specifications());
      onBaseline &= inService && placed && s.specifications().equals(back.specifications());
      if (failed && error == null) {
        error = DeploymentFailedException.class.getName();
        reason = "inference component " + s.name() + " is Failed: " + s.failureReason();
      } else if (forward && inService && !s.specifications().equals(next.specifications())
          && error == null) {
        // SageMaker's auto-rollback: an alarm fired during a batch's bake.
        error = CanaryAlarmException.class.getName();
        reason = "SageMaker rolled inference component " + s.name() + " back"
            + (s.failureReason() == null ? "" : ": " + s.failureReason());
      }
    }
    LOG.info("inference components read", entry("phase", in.phase().wire()),
        entry("settled", settled), entry("onNewVersion", onNew), entry("onBaseline", onBaseline),
        entry("copiesByType", copies), entry("reason", reason));
    return new ComponentsObserved(settled, settled && onNew, settled && onBaseline, error,
        reason, copies);
  }

  /**
   * The gate, once every copy runs the new version: no alarm of the rollout's own or the
   * profile's is in ALARM, the components served enough requests since the update to judge
   * (no data is never a pass), and their 5xx rate, overall and per pool type, is within the
   * profile's threshold.
   */
  Judgement judgeComponents(JudgingComponents in) {
    PlanDocument plan = in.plan();
    ComponentPlan c = plan.components();
    Map<String, AlarmStatus> states = ports.alarms().describe(plan.alarms());
    for (Map.Entry<String, AlarmStatus> e : states.entrySet()) {
      if (e.getValue().state() == AlarmState.ALARM) {
        return judged(Call.ROLL_BACK, "alarm " + e.getKey() + " is in ALARM: "
            + e.getValue().reason());
      }
    }
    Instant start = in.since().truncatedTo(ChronoUnit.MINUTES);
    Instant end = in.now().truncatedTo(ChronoUnit.MINUTES);
    if (!end.isAfter(start)) {
      end = start.plus(1, ChronoUnit.MINUTES);
    }
    List<String> types = c.pools().stream()
        .sorted(Comparator.comparingInt(InstancePool::priority))
        .map(InstancePool::instanceType).toList();
    long minimum = c.minInvocations();
    double threshold = c.max5xxRate();
    for (String name : c.componentNames()) {
      VariantMetrics m = ports.metrics().component(name, types, start, end, false);
      if (m.invocations() < minimum) {
        return judged(Call.INCONCLUSIVE, "inference component " + name + " served "
            + m.invocations() + " requests since its update, fewer than the " + minimum
            + " needed to judge it");
      }
      String over = overThreshold(name, null, m, threshold);
      for (Map.Entry<String, VariantMetrics> t : m.byType().entrySet()) {
        if (over == null && t.getValue().invocations() > 0) {
          over = overThreshold(name, t.getKey(), t.getValue(), threshold);
        }
      }
      if (over != null) {
        return judged(Call.ROLL_BACK, over);
      }
    }
    return judged(Call.PROMOTE, "every copy of " + c.componentNames() + " runs the new version,"
        + " no alarm fired and the 5xx rate is within " + percent(threshold));
  }

  /**
   * Puts every component back on the specifications it ran before the rollout, all copies at
   * once. A component SageMaker already rolled back is left as it is; one still updating is
   * left for the next pass (SageMaker refuses an update then): the workflow reads the
   * components and calls this again once they have settled.
   */
  Done restoreComponents(TurningBack in) {
    PlanDocument plan = in.plan();
    ComponentPlan c = plan.components();
    ports.store().setPhase(plan.endpointName(), in.execution().name(),
        RolloutPhase.BASELINE_FLEET, null);
    for (ComponentUpdate back : c.restores()) {
      ComponentState now = ports.components().describe(back.inferenceComponentName());
      if (now.specifications().equals(back.specifications())) {
        LOG.info("inference component already on its previous specifications",
            entry("component", now.name()), entry("status", now.status()));
        continue;
      }
      if (!now.inService() && !"Failed".equals(now.status())) {
        // SageMaker refuses an update while one runs (and may be rolling it back itself): the
        // workflow reads the components and comes back here once this one has settled.
        LOG.info("inference component busy; put back once it settles",
            entry("component", now.name()), entry("status", now.status()));
        continue;
      }
      ports.components().update(back);
      LOG.info("inference component put back", entry("component", now.name()),
          entry("models", back.specifications().stream().map(s -> s.modelName()).toList()),
          entry("failure", in.failure() == null ? null : in.failure().error()));
    }
    return Done.INSTANCE;
  }

  /**
   * The move onto pools landed: InService on the pooled config. SageMaker rolls a failed update
   * back on its own, sometimes without a FailureReason; the components are not touched then.
   */
  private void requireOnPools(PlanDocument plan) {
    String pooled = plan.components().pooledConfig().name();
    EndpointState s = ports.endpoints().describe(plan.endpointName());
    if (!s.inService() || !pooled.equals(s.endpointConfigName())
        || s.pendingConfigName() != null) {
      throw new DeploymentFailedException("endpoint " + plan.endpointName() + " did not move"
          + " onto instance pools: it is " + s.status() + " on " + s.endpointConfigName()
          + (s.pendingConfigName() == null ? "" : " (deploying " + s.pendingConfigName() + ")")
          + ", not on " + pooled + "; FailureReason: " + StepSupport.reason(s));
    }
  }

  private static Judgement judged(Call call, String reason) {
    LOG.info("inference components judged", entry("verdict", call), entry("reason", reason));
    return new Judgement(call, reason, null);
  }

  private static String overThreshold(String component, String type, VariantMetrics m,
      double threshold) {
    double rate = m.invocations() == 0 ? 0 : (double) m.errors5xx() / m.invocations();
    if (rate <= threshold) {
      return null;
    }
    return "inference component " + component + (type == null ? "" : " on " + type)
        + ": 5xx rate " + percent(rate) + " (" + m.errors5xx() + " of " + m.invocations()
        + ") above " + percent(threshold);
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.3f%%", rate * 100);
  }
}
