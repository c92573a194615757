package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.currentWeights;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static dev.poolshift.rollout.usecase.steps.StepSupport.stateNames;
import static dev.poolshift.rollout.usecase.steps.StepSupport.weightMap;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.canary.CanaryGate;
import dev.poolshift.rollout.canary.CanaryStep;
import dev.poolshift.rollout.canary.GateOutcome;
import dev.poolshift.rollout.canary.GatePolicy;
import dev.poolshift.rollout.canary.GateReadings;
import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.plan.CanaryAlarms;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.Promotion;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.port.VariantMetrics;
import dev.poolshift.rollout.usecase.steps.StepInputs.AtStep;
import dev.poolshift.rollout.usecase.steps.StepInputs.Baking;
import dev.poolshift.rollout.usecase.steps.StepInputs.Holding;
import dev.poolshift.rollout.usecase.steps.StepInputs.Judging;
import dev.poolshift.rollout.usecase.steps.StepResults.Call;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.Judgement;
import dev.poolshift.rollout.usecase.steps.StepResults.WeightsSet;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.Notifications;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canary section of the workflow: for each step, shift the weights, bake under alarms (a
 * task-token wait that a canary alarm fails), judge the step, and hold for a person when the
 * evidence cannot decide.
 */
final class CanarySteps {
  private static final Logger LOG = LoggerFactory.getLogger(CanarySteps.class);

  private final Settings settings;
  private final Ports ports;
  private final StepGuard guard;

  CanarySteps(Settings settings, Ports ports, StepGuard guard) {
    this.settings = settings;
    this.ports = ports;
    this.guard = guard;
  }

  /** Sets (never increments) the step's weights; a retry finds them set and sends nothing. */
  WeightsSet shiftTraffic(AtStep in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    Instant now = in.now();
    RolloutPlan rollout = plan.rollout();
    CanaryStep step = rollout.schedule().step(in.stepIndex());
    String ep = plan.endpointName();
    guard.requireNoStop(ep, owner);
    // The first step follows the canary fleet's check at once: the read that ended its wait
    // stands; later steps follow a bake and read the endpoint again. A retried attempt gets no
    // observation from the workflow: its own earlier attempt may have shifted since.
    EndpointState s = StepSupport.endpointNow(ports.endpoints(), ep, in.observation(), now);
    if (!plan.canaryConfigName().equals(s.endpointConfigName())) {
      throw new DeploymentFailedException("endpoint " + ep + " runs config "
          + s.endpointConfigName() + ", not the canary config " + plan.canaryConfigName()
          + "; traffic was not shifted (FailureReason: " + reason(s) + ")");
    }
    ports.store().setPhase(ep, owner, RolloutPhase.CANARY_WEIGHTS, step.index());
    List<VariantWeight> weights = rollout.weightsAt(step);
    ports.traffic().setWeights(s, weights);
    if (s.inService() && s.desires(weights)) {
      // Nothing was sent (a retry after the weights were set and served): no event will come.
      ports.store().markSettled(ep, now);
    }
    ports.store().appendHistory(ep, owner, new HistoryEntry.Shifted(now, step.index(),
        step.percent(), weightMap(weights)));
    LOG.info("canary weights set", entry("stepIndex", step.index()),
        entry("percent", step.percent()), entry("weights", weightMap(weights)));
    return new WeightsSet(weightMap(weights), step.percent());
  }

  /**
   * Starts a bake: makes sure the canary alarms exist, parks the bake's token (a canary alarm
   * fails it), and refuses to bake when an alarm is already in ALARM (it sends no new event) or
   * the step's weights are not what SageMaker serves.
   */
  Done startBake(Baking in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    Instant now = in.now();
    RolloutPlan rollout = plan.rollout();
    CanaryStep step = rollout.schedule().step(in.stepIndex());
    TaskToken token = in.taskToken();
    String ep = plan.endpointName();

    Map<String, AlarmStatus> states = ports.alarms().describe(plan.alarms());
    List<String> created = new ArrayList<>();
    for (AlarmSpec spec : CanaryAlarms.forRollout(settings.managedAlarmPrefix(), rollout)) {
      if (!states.containsKey(spec.name())) {
        ports.alarms().put(spec);
        created.add(spec.name());
      }
    }
    ports.store().register(new TokenRegistration(ep, TokenKind.BAKE, owner, token, null,
        step.index(), now, null,
        now.plusSeconds(plan.bakeSeconds() + rollout.profile().maxWaitForInvocationsSeconds()
            + StepSupport.TOKEN_TTL_SLACK_SECONDS)));
    guard.requireNoStopOr(ep, owner, () -> ports.store().deregister(ep, TokenKind.BAKE, token));
    for (String name : plan.alarms()) {
      AlarmStatus status = states.get(name);
      if (status != null && status.state() == AlarmState.ALARM) {
        ports.store().deregister(ep, TokenKind.BAKE, token);
        LOG.info("alarm already in ALARM at bake start; rolling back", entry("alarm", name),
            entry("stepIndex", step.index()));
        throw new CanaryAlarmException("alarm " + name + " is in ALARM at the start of step "
            + step.index() + " (" + step.percent() + "%): " + status.reason());
      }
    }
    EndpointState s = StepSupport.endpointNow(ports.endpoints(), ep, in.observation(), now);
    List<VariantWeight> weights = rollout.weightsAt(step);
    if (!s.serves(weights)) {
      ports.store().deregister(ep, TokenKind.BAKE, token);
      throw new DeploymentFailedException("endpoint " + ep + " does not serve step "
          + step.index() + "'s weights " + weightMap(weights) + ": it is " + s.status()
          + " on " + s.endpointConfigName() + " with " + currentWeights(s)
          + "; FailureReason: " + reason(s));
    }
    Optional<Promotion> promotion = guard.promotionFor(ep, owner);
    if (promotion.isPresent()) {
      // An operator asked to skip the bake before it began: its gate runs now.
      CallbackResult result = ports.callbacks().succeed(token, Map.of("promote", true));
      ports.store().deregister(ep, TokenKind.BAKE, token);
      LOG.info("promotion requested by an operator; bake skipped, judging now",
          entry("stepIndex", step.index()), entry("by", promotion.get().by()),
          entry("callback", result.name()));
      return Done.INSTANCE;
    }
    LOG.info("bake started under alarms", entry("stepIndex", step.index()),
        entry("percent", step.percent()), entry("bakeSeconds", plan.bakeSeconds()),
        entry("alarmsCreated", created), entry("alarms", plan.alarms()));
    return Done.INSTANCE;
  }

  /** The gate at the end of a bake: alarms, invocations, thresholds. */
  Judgement judgeCanary(Judging in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    Instant now = in.now();
    Instant bakeStartedAt = in.bakeStartedAt();
    RolloutPlan rollout = plan.rollout();
    CanaryStep step = rollout.schedule().step(in.stepIndex());
    String ep = plan.endpointName();
    ports.store().deregisterOwned(ep, TokenKind.BAKE, owner);
    guard.requireNoStop(ep, owner);

    GatePolicy policy = GatePolicy.of(rollout.profile(), plan.managedAlarms());
    Map<String, AlarmStatus> statuses = ports.alarms().describe(policy.alarmNames());
    Map<String, AlarmState> states = new LinkedHashMap<>();
    statuses.forEach((name, status) -> states.put(name, status.state()));
    // Whole minutes after the bake began only: a minute straddling the start also counts
    // traffic served at the previous step's weight.
    Instant start = bakeStartedAt.truncatedTo(ChronoUnit.MINUTES);
    if (start.isBefore(bakeStartedAt)) {
      start = start.plus(1, ChronoUnit.MINUTES);
    }
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    List<String> types = rollout.requestedPools().stream().map(InstancePool::instanceType)
        .toList();
    VariantMetrics m = end.isAfter(start)
        ? ports.metrics().variant(ep, plan.canaryVariantName(), types, start, end,
            policy.p99LatencyMs() != null)
        : new VariantMetrics(0, 0, null);
    Double p99Ms = millis(m.p99LatencyMicros());
    Map<String, GateReadings.TypeReading> byType = new LinkedHashMap<>();
    m.byType().forEach((type, t) -> byType.put(type,
        new GateReadings.TypeReading(t.invocations(), t.errors5xx(), millis(t.p99LatencyMicros()))));
    GateOutcome outcome = CanaryGate.evaluate(policy, step, bakeStartedAt, now,
        new GateReadings(states, m.invocations(), m.errors5xx(), p99Ms, byType));

    Judgement judgement = switch (outcome) {
      case GateOutcome.KeepBaking k -> new Judgement(Call.KEEP_BAKING, k.reason(),
          (int) Math.max(1, (Duration.between(now, k.until()).toMillis() + 999) / 1000));
      case GateOutcome.Decision d -> new Judgement(Call.of(d.verdict()), d.reason(), null);
    };
    Optional<Promotion> promotion = guard.promotionFor(ep, owner);
    if (promotion.isPresent() && judgement.verdict() != Call.ROLL_BACK) {
      // A person may skip waiting for evidence, never evidence against: a roll-back verdict
      // (an alarm in ALARM, a breached threshold) stands.
      judgement = new Judgement(Call.PROMOTE, "step " + step.index() + " at "
          + step.percent() + "%: promoted by " + promotion.get().by() + " from the console ("
          + promotion.get().requestedBy() + "): " + promotion.get().reason() + " (the gate"
          + " said: " + judgement.reason() + ")", null);
      outcome = new GateOutcome.Decision(Verdict.PROMOTE, judgement.reason());
    }
    if (outcome instanceof GateOutcome.Decision) {
      ports.store().appendHistory(ep, owner, new HistoryEntry.Judged(now, step.index(),
          step.percent(), judgement.verdict().name(), judgement.reason(), m.invocations(),
          m.errors5xx(), p99Ms, stateNames(states)));
      ports.signals().judged(plan, in.execution(), judgement.verdict().name());
    }
    LOG.info("canary step judged", entry("stepIndex", step.index()),
        entry("percent", step.percent()), entry("verdict", judgement.verdict()),
        entry("invocations", m.invocations()), entry("errors5xx", m.errors5xx()),
        entry("p99LatencyMs", p99Ms), entry("max5xxRate", policy.max5xxRate()),
        entry("p99SlaMs", policy.p99LatencyMs()), entry("minInvocations", policy.minInvocations()),
        entry("alarms", stateNames(states)), entry("window", start + "/" + end),
        entry("reason", judgement.reason()));
    return judgement;
  }

  /** Parks the hold's token and asks a person to decide. */
  Done holdForOperator(Holding in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    CanaryStep step = plan.rollout().schedule().step(in.stepIndex());
    TaskToken token = in.taskToken();
    String ep = plan.endpointName();
    String reason = in.reason() == null ? "the gate could not decide" : in.reason();
    ports.store().register(new TokenRegistration(ep, TokenKind.HOLD, exec.name(), token, null,
        step.index(), now, reason,
        now.plusSeconds(plan.operatorWaitSeconds() + StepSupport.TOKEN_TTL_SLACK_SECONDS)));
    guard.requireNoStopOr(ep, exec.name(),
        () -> ports.store().deregister(ep, TokenKind.HOLD, token));
    Optional<Promotion> promotion = guard.promotionFor(ep, exec.name());
    if (promotion.isPresent()) {
      Map<String, Object> decision = new LinkedHashMap<>();
      decision.put("decision", "promote");
      decision.put("reason", promotion.get().by() + " (console " + promotion.get().requestedBy()
          + "): " + promotion.get().reason());
      CallbackResult result = ports.callbacks().succeed(token, decision);
      ports.store().deregister(ep, TokenKind.HOLD, token);
      LOG.info("promotion already requested by an operator; hold decided at once",
          entry("stepIndex", step.index()), entry("callback", result.name()));
      return Done.INSTANCE;
    }
    Integer nextPercent = step.last() ? null
        : plan.rollout().schedule().next(step).percent();
    ports.notifier().publish(Notifications.holding(plan, exec, step.percent(), nextPercent,
        reason, plan.operatorWaitSeconds()));
    ports.signals().held(plan, exec);
    LOG.info("step held for an operator's decision", entry("stepIndex", step.index()),
        entry("percent", step.percent()), entry("operatorWaitSeconds", plan.operatorWaitSeconds()),
        entry("reason", reason));
    return Done.INSTANCE;
  }

  private static Double millis(Double micros) {
    return micros == null ? null : micros / 1000.0;
  }
}
