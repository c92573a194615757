package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.near;
import static dev.poolshift.rollout.usecase.steps.StepSupport.poolMix;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static dev.poolshift.rollout.usecase.steps.StepSupport.stateNames;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.CanaryRejectedException;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.canary.GateOutcome;
import dev.poolshift.rollout.canary.GatePolicy;
import dev.poolshift.rollout.canary.GateReadings;
import dev.poolshift.rollout.canary.PromotionGate;
import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.plan.CanaryAlarms;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.pool.PoolLanding;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.Promotion;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.port.VariantMetrics;
import dev.poolshift.rollout.usecase.steps.StepInputs.BakingPromoted;
import dev.poolshift.rollout.usecase.steps.StepInputs.JudgingPromoted;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.Verifying;
import dev.poolshift.rollout.usecase.steps.StepResults.Call;
import dev.poolshift.rollout.usecase.steps.StepResults.ConfigCreated;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.Judgement;
import dev.poolshift.rollout.usecase.steps.StepResults.Verification;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promotion section of the workflow: the final config (one pooled variant under the
 * baseline's name) and UpdateEndpoint to it, then a check that SageMaker serves what was asked.
 */
final class PromotionSteps {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionSteps.class);

  /** SageMaker takes at most this many auto-rollback alarms on an update. */
  private static final int MAX_AUTO_ROLLBACK_ALARMS = 10;

  private final Settings settings;
  private final Ports ports;
  private final StepGuard guard;
  private final EndpointMoves moves;

  PromotionSteps(Settings settings, Ports ports, StepGuard guard, EndpointMoves moves) {
    this.settings = settings;
    this.ports = ports;
    this.guard = guard;
    this.moves = moves;
  }

  /** The final config (one pooled variant under the baseline's name) and UpdateEndpoint to it. */
  ConfigCreated promote(OnPlan in) {
    PlanDocument plan = in.plan();
    String owner = in.execution().name();
    RolloutPlan rollout = plan.rollout();
    String ep = plan.endpointName();
    guard.requireNoStop(ep, owner);
    EndpointState s = ports.endpoints().describe(ep);
    boolean already = plan.finalConfigName().equals(s.endpointConfigName())
        || plan.finalConfigName().equals(s.pendingConfigName());
    // A blue/green switch (asynchronous endpoint) goes from the baseline config straight to
    // the final one; every other rollout promotes only from the canary config it judged.
    String from = rollout.blueGreenSwitch() ? plan.baseline().endpointConfigName()
        : plan.canaryConfigName();
    if (!already && !from.equals(s.endpointConfigName())) {
      throw new DeploymentFailedException("endpoint " + ep + " runs config "
          + s.endpointConfigName() + ", not " + (rollout.blueGreenSwitch()
              ? "the baseline config " : "the canary config ") + from
          + "; not promoting what was not canaried (FailureReason: " + reason(s) + ")");
    }
    ports.store().setPhase(ep, owner, RolloutPhase.FINAL_FLEET, null);
    ports.endpoints().createConfig(rollout.finalConfig());
    if (!already) {
      // Taken out before the canary already; again in case someone registered it meanwhile.
      moves.suspendScaling(plan, owner, in.now());
    }
    PlanDocument.Promotion guarded = plan.promotion();
    if (guarded == null) {
      moves.apply(rollout.finalUpdate(List.of()), s);
    } else {
      // The promoted fleet's alarms exist before the switch: SageMaker watches them while it
      // keeps the canary fleet, and rolls back to it at once when one goes to ALARM.
      List<AlarmSpec> specs = CanaryAlarms.forPromotion(settings.managedAlarmPrefix(), rollout);
      specs.forEach(ports.alarms()::put);
      moves.apply(rollout.finalUpdate(autoRollbackAlarms(specs, rollout),
          guarded.bakeSeconds()), s);
    }
    if (already && s.inService() && plan.finalConfigName().equals(s.endpointConfigName())) {
      // A retry after the promotion finished: no call was sent, no event will come.
      moves.noteSettled(ep, in.now());
    }
    LOG.info("promotion to the final config requested",
        entry("endpointConfigName", plan.finalConfigName()),
        entry("pools", rollout.requestedPools().stream()
            .map(p -> p.priority() + ":" + p.instanceType()).toList()));
    return new ConfigCreated(plan.finalConfigName());
  }

  /**
   * The alarms SageMaker watches during the promotion's bake, at most ten: the promoted fleet's
   * overall 5xx rate and p99 first, then the profile's gate alarms, then per instance type.
   */
  private static List<String> autoRollbackAlarms(List<AlarmSpec> specs, RolloutPlan rollout) {
    List<String> ordered = new ArrayList<>();
    specs.stream().map(AlarmSpec::name).filter(n -> n.endsWith("-promoted-5xx-rate")
        || n.endsWith("-promoted-p99-latency")).forEach(ordered::add);
    ordered.addAll(rollout.profile().gateAlarmNames());
    specs.stream().map(AlarmSpec::name).filter(n -> !ordered.contains(n)).forEach(ordered::add);
    return ordered.stream().distinct().limit(MAX_AUTO_ROLLBACK_ALARMS).toList();
  }

  /**
   * After SageMaker's bake of the promoted fleet: its alarms, and every instance type it runs on
   * that the canary was never judged on, judged on its own traffic since the switch. Keeps
   * baking (bounded) while such a type has too little data.
   */
  Judgement judgePromoted(JudgingPromoted in) {
    PlanDocument plan = in.plan();
    String ep = plan.endpointName();
    String owner = in.execution().name();
    Instant now = in.now();
    ports.store().deregisterOwned(ep, TokenKind.BAKE, owner);
    guard.requireNoStop(ep, owner);
    RolloutPlan rollout = plan.rollout();
    List<String> alarms = new ArrayList<>(plan.promotion().alarms());
    alarms.addAll(rollout.profile().gateAlarmNames());
    GatePolicy policy = GatePolicy.of(rollout.profile(), alarms);
    Map<String, AlarmState> states = new LinkedHashMap<>();
    ports.alarms().describe(policy.alarmNames()).forEach((n, st) -> states.put(n, st.state()));
    Instant start = in.bakeStartedAt().truncatedTo(ChronoUnit.MINUTES);
    if (start.isBefore(in.bakeStartedAt())) {
      start = start.plus(1, ChronoUnit.MINUTES);
    }
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    Map<String, Integer> promoted = poolMix(in.poolMix());
    List<String> types = List.copyOf(promoted.keySet());
    boolean async = rollout.blueGreenSwitch();
    VariantMetrics m = !end.isAfter(start) ? new VariantMetrics(0, 0, null)
        : async ? ports.metrics().asyncVariant(ep, plan.baseline().variantName(), types, start,
            end)
        : ports.metrics().variant(ep, plan.baseline().variantName(), types, start, end,
            policy.p99LatencyMs() != null);
    Map<String, GateReadings.TypeReading> byType = new LinkedHashMap<>();
    m.byType().forEach((type, t) -> byType.put(type, new GateReadings.TypeReading(
        t.invocations(), t.errors5xx(), t.p99LatencyMicros() == null ? null
            : t.p99LatencyMicros() / 1000.0)));
    Set<String> judged = judgedTypes(ep, owner);
    Instant bakeEnd = in.bakeStartedAt().plusSeconds(plan.promotion().bakeSeconds());
    GateOutcome outcome = PromotionGate.evaluate(policy, bakeEnd, now, promoted, judged,
        new GateReadings(states, m.invocations(), m.errors5xx(), null, byType),
        async ? "failure rate" : "5xx rate", async);
    Judgement judgement = switch (outcome) {
      case GateOutcome.KeepBaking k -> new Judgement(Call.KEEP_BAKING, k.reason(),
          (int) PromotionGate.secondsUntil(now, k.until()));
      case GateOutcome.Decision d -> new Judgement(Call.of(d.verdict()), d.reason(), null);
    };
    if (outcome instanceof GateOutcome.Decision) {
      ports.signals().judged(plan, in.execution(), judgement.verdict().name());
    }
    LOG.info("promoted fleet judged", entry("verdict", judgement.verdict()),
        entry("reason", judgement.reason()), entry("poolMix", promoted),
        entry("judgedOnTheCanary", judged), entry("byType", byType),
        entry("alarms", stateNames(states)), entry("window", start + "/" + end));
    return judgement;
  }

  /**
   * More of the promoted fleet's bake, for a type that has not served enough to be judged: a
   * task-token wait whose timeout means "look again", failed at once by one of its alarms.
   */
  Done bakePromoted(BakingPromoted in) {
    PlanDocument plan = in.plan();
    String ep = plan.endpointName();
    String owner = in.execution().name();
    Instant now = in.now();
    TaskToken token = in.taskToken();
    ports.store().register(new TokenRegistration(ep, TokenKind.BAKE, owner, token, null, null,
        now, null, now.plusSeconds(plan.promotion().bakeSeconds()
            + plan.rollout().profile().maxWaitForInvocationsSeconds()
            + StepSupport.TOKEN_TTL_SLACK_SECONDS)));
    guard.requireNoStopOr(ep, owner, () -> ports.store().deregister(ep, TokenKind.BAKE, token));
    List<String> alarms = new ArrayList<>(plan.promotion().alarms());
    alarms.addAll(plan.rollout().profile().gateAlarmNames());
    for (Map.Entry<String, AlarmStatus> e : ports.alarms().describe(alarms).entrySet()) {
      if (e.getValue().state() == AlarmState.ALARM) {
        ports.store().deregister(ep, TokenKind.BAKE, token);
        throw new CanaryAlarmException("alarm " + e.getKey() + " is in ALARM while the promoted"
            + " fleet bakes: " + e.getValue().reason());
      }
    }
    LOG.info("promoted fleet baking for more data", entry("alarms", alarms));
    return Done.INSTANCE;
  }

  /** The instance types the canary fleet ran on when it was checked. */
  private Set<String> judgedTypes(String ep, String owner) {
    Set<String> judged = new TreeSet<>();
    ports.store().rollout(ep).filter(r -> r.ownedBy(owner)).ifPresent(r -> r.history().stream()
        .filter(HistoryEntry.FleetChecked.class::isInstance)
        .map(HistoryEntry.FleetChecked.class::cast)
        .forEach(f -> f.poolMix().forEach((type, count) -> {
          if (count != null && count > 0) {
            judged.add(type);
          }
        })));
    return judged;
  }

  Verification verifyPromoted(Verifying in) {
    PlanDocument plan = in.plan();
    RolloutPlan rollout = plan.rollout();
    EndpointState s = StepSupport.endpointNow(ports.endpoints(), plan.endpointName(),
        in.observation(), in.now());
    Verification v = verifyFinal(plan, rollout, s);
    ports.store().appendHistory(plan.endpointName(), in.execution().name(),
        new HistoryEntry.PromotedFleet(in.now(), v.live(), v.reason(), poolMix(v.poolMix())));
    LOG.info("promotion verified", entry("live", v.live()), entry("status", s.status()),
        entry("endpointConfigName", s.endpointConfigName()), entry("poolMix", poolMix(v.poolMix())),
        entry("reason", v.reason()));
    return v;
  }

  private static Verification verifyFinal(PlanDocument plan, RolloutPlan rollout,
      EndpointState s) {
    String failed = DeploymentFailedException.class.getName();
    if (!s.inService()) {
      return new Verification(false, failed, "endpoint " + plan.endpointName() + " is "
          + s.status() + " after the promotion; FailureReason: " + reason(s), List.of());
    }
    if (!plan.finalConfigName().equals(s.endpointConfigName())) {
      return new Verification(false, failed, "SageMaker did not complete the promotion:"
          + " endpoint " + plan.endpointName() + " runs config " + s.endpointConfigName()
          + ", not " + plan.finalConfigName() + " (rolled back); FailureReason: " + reason(s),
          List.of());
    }
    Set<String> expected = new HashSet<>(rollout.finalConfig().variantNames());
    Set<String> actual = new HashSet<>();
    s.productionVariants().forEach(v -> actual.add(v.variantName()));
    if (!expected.equals(actual)) {
      return new Verification(false, failed, "endpoint reports variants " + actual
          + "; the final config has " + expected, List.of());
    }
    VariantState promoted = s.variant(plan.baseline().variantName());
    VariantSpec spec = rollout.finalConfig().variant(plan.baseline().variantName());
    double weight = spec.initialVariantWeight() == null ? 1.0 : spec.initialVariantWeight();
    if (!near(promoted.currentWeight(), weight)) {
      return new Verification(false, failed, "variant " + promoted.variantName() + " has weight "
          + promoted.currentWeight() + "; expected " + weight, promoted.instancePools());
    }
    GateOutcome.Decision landing = new PoolLanding(rollout.requestedPools(),
        promoted.instancePools()).judge(rollout.profile().fallbackPolicy());
    if (landing.verdict() != Verdict.CONTINUE) {
      return new Verification(false, CanaryRejectedException.class.getName(),
          "promoted fleet: " + landing.reason(), promoted.instancePools());
    }
    return new Verification(true, null, "endpoint " + plan.endpointName() + " serves "
        + plan.modelPackageArn() + " from " + plan.finalConfigName() + "; " + landing.reason(),
        promoted.instancePools());
  }
}
