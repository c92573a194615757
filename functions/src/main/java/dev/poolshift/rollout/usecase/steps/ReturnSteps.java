package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.poolMix;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static dev.poolshift.rollout.usecase.steps.StepSupport.startedAt;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.plan.WaitBounds;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.component.ComponentPlan;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.InferenceComponents;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.ProfileStore;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.ReturnCheck;
import dev.poolshift.rollout.usecase.support.EndpointOwnership;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.support.ScalingHold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rollback} console action: back to the release before the current one, as the
 * ledger records it. The current release is the latest promotion whose config the endpoint runs;
 * the release before it is that promotion's config before. Rolling back twice walks back twice.
 * It is one blue/green UpdateEndpoint, not a canary: the previous release served this endpoint
 * before, and at 3 AM the point is to leave the current one. SageMaker keeps the current fleet
 * serving until the previous one is healthy, and reverts by itself if it is not.
 *
 * <p>It holds the endpoint's lock like a rollout. Its active-rollout record names the release it
 * returns to as the "baseline", so the reconciler finishes the return if the execution is
 * stopped part-way.
 */
final class ReturnSteps {
  private static final Logger LOG = LoggerFactory.getLogger(ReturnSteps.class);
  /** Enough ledger records to find the current release behind failed and rolled-back tries. */
  private static final int LEDGER_DEPTH = 100;

  /** How many releases a rollback walks back over rejected versions before it gives up. */
  private static final int MAX_SKIPPED = 10;

  private final RolloutStore store;
  private final Endpoints endpoints;
  private final Ledger ledger;
  private final ScalingHold scaling;
  private final ModelRegistry registry;
  private final ProfileStore profiles;
  private final InferenceComponents components;

  ReturnSteps(RolloutStore store, Endpoints endpoints, Ledger ledger, ScalingHold scaling,
      ModelRegistry registry, ProfileStore profiles, InferenceComponents components) {
    this.components = components;
    this.store = store;
    this.endpoints = endpoints;
    this.ledger = ledger;
    this.scaling = scaling;
    this.registry = registry;
    this.profiles = profiles;
  }

  /**
   * Read-only: finds the previous release in the ledger and checks it can come back. Releases
   * whose version was since rejected in the Model Registry are walked over: a rollback never
   * lands on a rejected version. A rollback the registry asked for (a rejection of the version
   * the endpoint serves) waits for a rollout holding the endpoint, as the profile's queue does,
   * and ends without a change when the endpoint no longer serves that version.
   */
  PlanDocument plan(ExecutionRef exec, ExecutionRequest request) {
    String ep = request.endpointName();
    Optional<EndpointLock> held = store.lockOf(ep).filter(l -> !l.owner().equals(exec.name()));
    if (held.isPresent()) {
      Optional<ActiveRollout> holder = store.rollout(ep)
          .filter(r -> r.ownedBy(held.get().owner()));
      String phase = holder.map(r -> r.phase().wire()).orElse("unknown");
      if (request.leavesRejectedVersion()
          && holder.map(r -> r.phase() != RolloutPhase.NEEDS_A_PERSON).orElse(true)) {
        return queueBehind(exec, request, held.get().owner(), phase);
      }
      throw new EndpointLockedException(ep, held.get().owner(), "endpoint " + ep
          + " locked by execution " + held.get().owner() + " (phase " + phase + "): a rollout"
          + " is running; to roll it back, abort it: {\"action\": \"abort\", \"endpointName\": \""
          + ep + "\", \"reason\": \"...\"}");
    }
    EndpointState endpoint = describe(ep);
    List<String> notManaged = EndpointOwnership.require(endpoints, ep, request.dryRun());
    if (endpoint.inProgress()) {
      throw new EndpointBusyException("endpoint " + ep + " is " + endpoint.status()
          + "; a rollback starts only from InService");
    }
    if (!endpoint.inService()) {
      throw new IncompatibleEndpointException("endpoint " + ep + " is " + endpoint.status()
          + (endpoint.failureReason() == null ? "" : " (" + endpoint.failureReason() + ")")
          + "; a person must look before any automated change");
    }
    String current = endpoint.endpointConfigName();
    List<LedgerRecord> records = ledger.latest(ep, LEDGER_DEPTH);
    LedgerRecord release = promotionTo(records, current)
        .orElseThrow(() -> new IncompatibleEndpointException("endpoint " + ep + " runs config "
            + current + " and the ledger records no promotion that put it there, so there is no"
            + " recorded release before it (" + records.size() + " records read)"
            + (request.leavesRejectedVersion() ? "; it does not serve the rejected "
                + request.modelPackageArn() + " as a Poolshift release, so nothing was changed"
                : "; to go back to a known version, deploy its package: {\"action\": \"deploy\","
                    + " \"endpointName\": \"" + ep + "\", \"modelPackageArn\": \"...\"}")));
    if (request.leavesRejectedVersion()
        && !request.modelPackageArn().canonical().equals(canonical(release.modelPackageArn()))) {
      throw new IncompatibleEndpointException("nothing to roll back: endpoint " + ep
          + " serves " + release.modelPackageArn() + " (config " + current + "), not the"
          + " rejected " + request.modelPackageArn() + "; nothing was changed");
    }
    List<String> skipped = new ArrayList<>();
    while (previousPackage(release).map(this::rejected).orElse(false)) {
      String rejectedPackage = previousPackage(release).orElseThrow();
      String before = release.configBefore();
      LedgerRecord earlier = skipped.size() >= MAX_SKIPPED ? null
          : promotionTo(records, before).orElse(null);
      if (earlier == null) {
        throw new IncompatibleEndpointException("the release before " + current + " ("
            + rejectedPackage + ", config " + before + ") was rejected in the Model Registry,"
            + " and the ledger records no release before it that was not"
            + (skipped.isEmpty() ? "" : " (also skipped: " + String.join(", ", skipped) + ")")
            + "; nothing was changed. Deploy an approved version: {\"action\": \"deploy\","
            + " \"endpointName\": \"" + ep + "\", \"modelPackageArn\": \"...\"}");
      }
      skipped.add(rejectedPackage + " (config " + before + ")");
      release = earlier;
    }
    String target = release.configBefore();
    EndpointConfigSpec targetConfig;
    try {
      targetConfig = endpoints.describeConfig(target);
    } catch (EndpointConfigNotFoundException e) {
      throw new IncompatibleEndpointException("the previous release's endpoint config " + target
          + " (before " + release.executionName() + ") no longer exists; deploy its package"
          + " instead" + previousPackage(release).map(p -> ": " + p).orElse(""));
    }
    Map<String, Object> baselineDetails = map(release.details().get("baseline"));
    String variant = baselineDetails.get("variantName") instanceof String v ? v
        : targetConfig.productionVariants().getFirst().variantName();
    VariantState live = endpoint.variant(variant);
    double weight = live != null && live.currentWeight() != null ? live.currentWeight() : 1.0;
    PlanDocument.Baseline leaving = new PlanDocument.Baseline(current, variant, weight,
        release.modelPackageArn());
    List<ComponentUpdate> putBack = componentsBefore(release);
    PlanDocument.Restore restore = new PlanDocument.Restore(target,
        previousPackage(release).orElse(null), release.executionName(),
        release.endedAt() == null ? null : release.endedAt().toString(), putBack);
    List<String> risks = new ArrayList<>(notManaged);
    for (ComponentUpdate u : putBack) {
      ComponentState now = components.describe(u.inferenceComponentName());
      if (!now.inService()) {
        throw new EndpointBusyException("inference component " + now.name() + " is "
            + now.status() + "; a rollback starts only from InService");
      }
      risks.add("inference component " + u.inferenceComponentName() + " is put back on the"
          + " specifications it ran before " + release.executionName() + " (" + u
              .specifications().stream().map(ComponentSpecification::modelName).distinct()
              .toList() + "), every copy in batches of " + u.batchPercent() + "%, before the"
          + " endpoint " + (target.equals(current) ? "(its config stays " + current + ")"
              : "goes back to " + target));
    }
    for (String s : skipped) {
      risks.add("skips " + s + ": rejected in the Model Registry since it served");
    }
    risks.add("not canaried: one blue/green UpdateEndpoint from " + current + " ("
        + release.modelPackageArn() + ") back to " + target + " ("
        + (restore.modelPackageArn() == null ? "package not recorded" : restore.modelPackageArn())
        + "); SageMaker keeps the current fleet serving until the previous one is healthy");
    for (VariantSpec v : targetConfig.productionVariants()) {
      if (!v.usesPools()) {
        risks.add("variant " + v.variantName() + " of the previous release runs on a single"
            + " instance type " + v.instanceType() + " (no pools): a shortage of it fails the"
            + " update, and SageMaker keeps the current release");
      }
    }
    PlanDocument plan = PlanDocument.bare(ExecutionRequest.ROLLBACK, exec.name(), ep, null,
        request.trigger(), request.reason()).restoring(restore, leaving,
        WaitBounds.fleetSeconds(targetConfig), risks);
    LOG.info("rollback to the previous release planned", entry("from", current), entry("to", target),
        entry("undoes", release.executionName()));
    return plan;
  }

  /**
   * The active-rollout record of a rollback. Its "baseline" is the release it returns to: what
   * the reconciler restores should the execution stop part-way. No canary, no models, no alarms.
   */
  static ActiveRollout activeRollout(PlanDocument plan, ExecutionRef exec, Instant startedAt,
      HistoryEntry locked) {
    return new ActiveRollout(plan.endpointName(), exec.name(), exec.id(),
        plan.restore().modelPackageArn(), plan.restore().endpointConfigName(),
        plan.baseline().variantName(), plan.baseline().weight(), null, null, null, List.of(),
        List.of(), List.of(), plan.trigger(), startedAt, RolloutPhase.LOCKED, null, null,
        List.of(locked));
  }

  /** UpdateEndpoint back to the previous release's config, keeping live counts and weights. */
  Done restore(OnPlan in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    String ep = plan.endpointName();
    String target = plan.restore().endpointConfigName();
    store.setPhase(ep, exec.name(), RolloutPhase.RESTORE_FLEET, null);
    EndpointState s = describe(ep);
    if (EndpointState.NEEDS_A_PERSON.contains(s.status())) {
      throw new DeploymentFailedException("endpoint " + ep + " is " + s.status()
          + "; no automated writes (FailureReason: " + s.failureReason() + ")");
    }
    putComponentsBack(plan);
    boolean already = target.equals(s.pendingConfigName())
        || (target.equals(s.endpointConfigName()) && s.inService());
    if (!already) {
      // Going back from pools to one type is an instance-type change SageMaker refuses for an
      // autoscaled variant: out of auto scaling first, back in when the lock is released.
      scaling.suspend(ep, exec.name(), plan.baseline().variantName(), now)
          .ifPresent(entry -> store.appendHistory(ep, exec.name(), entry));
      endpoints.update(new EndpointUpdate(ep, target, true, List.of(), List.of()));
    }
    store.appendHistory(ep, exec.name(),
        new HistoryEntry.Restore(now, s.endpointConfigName(), target));
    LOG.info("endpoint update back to the previous release requested",
        entry("endpointConfigName", target), entry("alreadyThere", already));
    return Done.INSTANCE;
  }

  /**
   * Back only when DescribeEndpoint shows the previous release's config InService with nothing
   * pending. {@code needsAPerson} when the endpoint is Failed or UpdateRollbackFailed.
   */
  ReturnCheck verify(OnPlan in) {
    PlanDocument plan = in.plan();
    ExecutionRef exec = in.execution();
    Instant now = in.now();
    String ep = plan.endpointName();
    String target = plan.restore().endpointConfigName();
    EndpointState s = describe(ep);
    boolean live = s.inService() && target.equals(s.endpointConfigName())
        && s.pendingConfigName() == null;
    String componentProblem = live ? componentsNotBack(plan) : null;
    live &= componentProblem == null;
    boolean needsAPerson = EndpointState.NEEDS_A_PERSON.contains(s.status());
    String reason = live ? "endpoint " + ep + " serves the previous release " + target
        : componentProblem != null ? componentProblem
        : "endpoint " + ep + " is " + s.status() + " on " + s.endpointConfigName()
            + ", not the previous release " + target + " (FailureReason: "
            + (s.failureReason() == null || s.failureReason().isBlank() ? "(none given)"
                : s.failureReason()) + ")";
    Map<String, Map<String, Integer>> poolMix = new LinkedHashMap<>();
    for (VariantState v : s.productionVariants()) {
      Map<String, Integer> pools = new LinkedHashMap<>();
      v.instancePools().forEach(p -> pools.put(p.instanceType(), p.currentInstanceCount()));
      poolMix.put(v.variantName(), pools);
    }
    store.appendHistory(ep, exec.name(), new HistoryEntry.Verified(now, live, reason, poolMix));
    LOG.info("return to the previous release verified", entry("live", live),
        entry("status", s.status()), entry("endpointConfigName", s.endpointConfigName()),
        entry("reason", reason));
    return new ReturnCheck(live, needsAPerson, false,
        live ? null : DeploymentFailedException.class.getName(), reason);
  }

  /** The components the release's rollout changed, and how to put each back; none for others. */
  @SuppressWarnings("unchecked")
  private static List<ComponentUpdate> componentsBefore(LedgerRecord release) {
    if (!(release.details().get("components") instanceof List<?> recorded)) {
      return List.of();
    }
    List<ComponentUpdate> out = new ArrayList<>();
    for (Object o : recorded) {
      Map<String, Object> c = map(o);
      List<ComponentSpecification> specs = new ArrayList<>();
      if (c.get("specifications") instanceof List<?> l) {
        l.forEach(e -> specs.add(ComponentSpecification.fromWire(map(e))));
      }
      out.add(ComponentPlan.restoring((String) c.get("inferenceComponentName"), specs));
    }
    return out;
  }

  /**
   * The components first: their previous specifications were made for the fleet the endpoint
   * ran then, and SageMaker updates no component while the endpoint updates. Each one not back
   * yet is updated (all copies in large batches); while any is still updating the step is
   * retried (EndpointBusyException), so the endpoint moves only once they are all back.
   */
  private void putComponentsBack(PlanDocument plan) {
    List<String> pending = new ArrayList<>();
    for (ComponentUpdate back : plan.restore().components()) {
      ComponentState now = components.describe(back.inferenceComponentName());
      if (now.inService() && now.specifications().equals(back.specifications())) {
        continue;
      }
      if (now.inService() || "Failed".equals(now.status())) {
        components.update(back);
        LOG.info("inference component put back on its previous release",
            entry("component", now.name()), entry("models", back.specifications().stream()
                .map(ComponentSpecification::modelName).toList()));
      }
      pending.add(now.name());
    }
    if (!pending.isEmpty()) {
      throw new EndpointBusyException("inference components " + pending + " of "
          + plan.endpointName() + " are being put back on their previous specifications; the"
          + " endpoint is returned once they are InService");
    }
  }

  /** Null when every component runs, on all its copies, what it ran before; else what is not. */
  private String componentsNotBack(PlanDocument plan) {
    for (ComponentUpdate back : plan.restore().components()) {
      ComponentState now = components.describe(back.inferenceComponentName());
      boolean placed = now.desiredCopies() == null
          || now.desiredCopies().equals(now.currentCopies());
      if (!now.inService() || !placed || !now.specifications().equals(back.specifications())) {
        return "inference component " + now.name() + " is " + now.status() + " with "
            + now.currentCopies() + " of " + now.desiredCopies() + " copies placed and "
            + (now.specifications().equals(back.specifications()) ? "" : "not ")
            + "on the specifications of the previous release";
      }
    }
    return null;
  }

  private EndpointState describe(String ep) {
    try {
      return endpoints.describe(ep);
    } catch (EndpointNotFoundException e) {
      throw new EndpointNotFoundException("endpointName: no endpoint named " + ep + " ("
          + e.getMessage() + ")");
    }
  }

  /** The package the previous release served, when the ledger recorded it. */
  /** The latest promotion that put {@code config} on the endpoint. */
  private static Optional<LedgerRecord> promotionTo(List<LedgerRecord> records, String config) {
    return records.stream()
        .filter(r -> r.outcome() == Outcome.PROMOTED && config != null
            && config.equals(r.configAfter()))
        .findFirst();
  }

  /** True when DescribeModelPackage says the version was rejected; unknown ones are not. */
  private boolean rejected(String packageArn) {
    try {
      return ModelPackage.REJECTED.equals(registry.describePackage(
          ModelPackageArn.parse("ledger baseline.modelPackageArn", packageArn)).approvalStatus());
    } catch (ModelPackageNotFoundException | InvalidInputException e) {
      // A deleted package cannot be told apart from an approved one here; its config decides.
      return false;
    }
  }

  private static String canonical(String arn) {
    return arn == null ? null : arn.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * A registry-rejection rollback meets a rollout holding the endpoint: it waits its turn (the
   * group's queueWaitSeconds), then plans again; the endpoint may by then serve something else.
   */
  private PlanDocument queueBehind(ExecutionRef exec, ExecutionRequest request, String holder,
      String phase) {
    ModelPackageArn arn = request.modelPackageArn();
    int wait = profiles.load(arn.group()).queueWaitSeconds();
    LOG.info("rollback for a rejected version waits for the rollout holding the endpoint",
        entry("holder", holder), entry("holderPhase", phase), entry("waitSeconds", wait));
    return PlanDocument.bare(request.action(), exec.name(), request.endpointName(),
        arn.toString(), request.trigger(), request.reason())
        .withRisks(List.of("endpoint " + request.endpointName() + " locked by execution "
            + holder + " (phase " + phase + "): the rollback away from rejected " + arn
            + " waits for it to end, then plans again"))
        .waitingFor(new PlanDocument.Contention(holder, phase, "queue", wait));
  }

  private static Optional<String> previousPackage(LedgerRecord release) {
    return Optional.ofNullable(map(release.details().get("baseline")).get("modelPackageArn"))
        .filter(String.class::isInstance).map(String.class::cast);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
