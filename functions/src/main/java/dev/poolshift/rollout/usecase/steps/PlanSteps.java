package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ModelPackageNotDeployableException;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.ResourceLimitExceededException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.plan.CanaryAlarms;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.plan.PlanReview;
import dev.poolshift.rollout.plan.PlanRisks;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.plan.RolloutPlanner;
import dev.poolshift.rollout.plan.RolloutRequest;
import dev.poolshift.rollout.plan.WaitBounds;
import dev.poolshift.rollout.pool.QuotaHeadroom;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.InstanceUsage;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.profile.AllowedInstanceTypes;
import dev.poolshift.rollout.profile.ConcurrencyPolicy;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.PoolPreference;
import dev.poolshift.rollout.usecase.shared.EndpointOwnership;
import dev.poolshift.rollout.usecase.shared.ExecutionRef;
import dev.poolshift.rollout.usecase.shared.PlanDocument;
import dev.poolshift.rollout.usecase.steps.StepInputs.PlanRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The {@code plan} step: validates the request (every field, before any other call), reads the
 * registry, the profile and the endpoint, and plans. Read-only. A rollback, promote, continue or
 * abort is planned by {@link ReturnSteps} and {@link OperatorSteps}.
 */
public final class PlanSteps {
  private static final Logger LOG = LoggerFactory.getLogger(PlanSteps.class);
  /** Endpoints a plan reads to count the instances in use: bounds the plan's SageMaker reads. */
  public static final int MAX_ENDPOINTS_COUNTED = 100;

  private final Settings settings;
  private final Ports ports;
  private final OperatorSteps operators;
  private final ReturnSteps returns;

  PlanSteps(Settings settings, Ports ports, OperatorSteps operators, ReturnSteps returns) {
    this.settings = settings;
    this.ports = ports;
    this.operators = operators;
    this.returns = returns;
  }

  /**
   * Read-only: validates the request (every field, before any other call), reads the registry,
   * the profile and the endpoint, and plans. A rollback, promote or abort is planned by
   * {@link PreviousRelease} and {@link OperatorActions}. When another rollout holds the endpoint
   * the profile's concurrency policy decides: reject throws, queue and supersede return a plan
   * that waits for the endpoint (the workflow plans again once it is free).
   */
  PlanDocument plan(PlanRequest in) {
    ExecutionRef exec = in.execution();
    ExecutionRequest request = ExecutionRequest.parse(in.request());
    if (request.operatorAction()) {
      return operators.plan(exec, request);
    }
    if (ExecutionRequest.ROLLBACK.equals(request.action())) {
      return returns.plan(exec, request);
    }
    boolean migrate = ExecutionRequest.MIGRATE.equals(request.action());
    ModelPackageArn arn = request.modelPackageArn();
    if (arn != null) {
      requireHome(exec, arn);
    } else {
      arn = servingPackage(request.endpointName());
      requireHome(exec, arn);
    }
    MDC.put("modelPackageArn", arn.toString());
    ModelPackage pkg = describePackage(arn);
    DeploymentProfile profile = ports.profiles().load(pkg.groupName());
    String endpointName = profile.endpointName();
    MDC.put("endpointName", endpointName);
    if (request.endpointName() != null && !request.endpointName().equalsIgnoreCase(endpointName)) {
      throw new InvalidInputException("rollout input", "endpointName", "the profile of model"
          + " package group " + pkg.groupName() + " deploys to " + endpointName + ", not "
          + request.endpointName());
    }
    if (migrate && request.modelPackageArn() != null) {
      ModelPackageArn serving = servingPackage(endpointName);
      if (!serving.canonical().equals(arn.canonical())) {
        throw new InvalidInputException("rollout input", "modelPackageArn", "migrate keeps the"
            + " model endpoint " + endpointName + " serves (" + serving + "), not " + arn
            + "; use action deploy to change the model");
      }
    }
    profile = request.overrides().applyTo(profile, migrate);
    // A rollout already holding the endpoint is reported as such, not as the leftover canary
    // variant it would otherwise trip over below.
    Optional<EndpointLock> held = ports.store().lockOf(endpointName)
        .filter(l -> !l.owner().equals(exec.name()));
    if (held.isPresent()) {
      return contended(exec, request, arn, pkg, profile, held.get());
    }
    EndpointState endpoint = describeEndpoint(endpointName);
    List<String> notManaged = EndpointOwnership.require(ports.endpoints(), endpointName,
        request.dryRun());
    if (endpoint.inProgress()) {
      throw new EndpointBusyException("endpoint " + endpointName + " is " + endpoint.status()
          + "; a rollout starts only from InService");
    }
    EndpointConfigSpec current = ports.endpoints().describeConfig(endpoint.endpointConfigName());
    RolloutPlan rollout = RolloutPlanner.plan(new RolloutRequest(exec.name(), pkg, profile,
        endpoint, current));
    requireAllowed(request, pkg, rollout);
    List<String> managed = CanaryAlarms.names(settings.managedAlarmPrefix(), rollout);
    List<String> alarms = new ArrayList<>(managed);
    alarms.addAll(profile.gateAlarmNames());
    PlanReview review = PlanReview.of(rollout, current, endpoint,
        settings.stackExecutionRoleArn());
    int fleetWait = WaitBounds.fleetSeconds(rollout);
    List<String> risks = new ArrayList<>(notManaged);
    risks.addAll(review.risks());
    // An alarm already in ALARM sends no new event: a rollout started now would be blind to it
    // until its first bake, after the endpoint was changed. Refuse before touching anything; a
    // dry run reports it as a risk.
    Map<String, String> inAlarm = alarmsInAlarm(alarms);
    if (!inAlarm.isEmpty() && !request.dryRun()) {
      String why = inAlarm.entrySet().stream()
          .map(e -> "alarm " + e.getKey() + " is already in ALARM (" + e.getValue() + ")").toList().toString();
      LOG.atInfo().addKeyValue("alarms", inAlarm.keySet()).log("rollout refused: alarm in ALARM");
      throw new CanaryAlarmException(why + "; the rollout of " + rollout.modelPackageArn() + " to "
          + endpointName + " was not started and nothing was changed; start it again once the"
          + " alarm is OK");
    }
    risks.addAll(quotaRisks(request, rollout, serving(endpoint, current)));
    risks.addAll(PlanRisks.alarmsInAlarm(inAlarm));
    risks.addAll(autoscalingRisks(endpointName, rollout, current));
    risks.addAll(PlanRisks.timing(profile, fleetWait, WaitBounds.WEIGHTS_SECONDS,
        WaitBounds.OPERATOR_SECONDS, CanaryAlarms.forRollout(settings.managedAlarmPrefix(),
            rollout)));
    if (!request.overrides().isEmpty()) {
      risks.add("this rollout overrides the profile's " + request.overrides().fields());
    }
    PlanDocument plan = new PlanDocument(request.action(), exec.name(), endpointName,
        rollout.modelPackageArn(), pkg.groupName(), pkg.version(),
        new PlanDocument.Baseline(current.name(), rollout.baselineVariantName(),
            rollout.baselineWeight(), baselinePackage(current, rollout.baselineVariantName())),
        rollout.canaryConfig().name(), rollout.canaryVariantName(), rollout.finalConfig().name(),
        rollout.models().stream().map(ModelToCreate::modelName).toList(),
        rollout.schedule().steps(), profile.bakeSeconds(), fleetWait,
        WaitBounds.WEIGHTS_SECONDS, WaitBounds.OPERATOR_SECONDS, alarms, managed,
        request.trigger(), risks, review.configDiff(), rollout, request.reason(),
        request.overrides().fields(), false, null, null, null, 0);
    LOG.atInfo().addKeyValue("action", plan.action())
        .addKeyValue("baselineConfig", current.name())
        .addKeyValue("canaryConfig", plan.canaryConfigName())
        .addKeyValue("pools", rollout.requestedPools().stream()
            .map(p -> p.priority() + ":" + p.instanceType()).toList())
        .addKeyValue("steps", plan.steps()).addKeyValue("risks", risks.size())
        .addKeyValue("overridden", plan.overridden())
        .log("rollout planned");
    return plan;
  }

  /**
   * Another rollout holds the endpoint: a dry run says so; otherwise the profile's policy
   * decides. Nothing is changed here: superseding the holder is a step of its own.
   */
  private PlanDocument contended(ExecutionRef exec, ExecutionRequest request,
      ModelPackageArn arn, ModelPackage pkg, DeploymentProfile profile, EndpointLock lock) {
    String ep = profile.endpointName();
    ActiveRollout holder = ports.store().rollout(ep).filter(r -> r.ownedBy(lock.owner()))
        .orElse(null);
    String phase = holder == null || holder.phase() == null ? "unknown" : holder.phase().wire();
    ConcurrencyPolicy policy = profile.concurrencyPolicy();
    String holding = "endpoint " + ep + " locked by execution " + lock.owner() + " (phase "
        + phase + ", package " + lock.modelPackageArn() + ")";
    if (request.dryRun()) {
      PlanDocument plan = PlanDocument.bare(request.action(), exec.name(), ep, arn.toString(),
          request.trigger(), request.reason());
      LOG.atInfo().addKeyValue("holder", lock.owner()).addKeyValue("holderPhase", phase)
          .log("dry run while another rollout holds the endpoint");
      return plan.withRisks(List.of(holding + ": a deploy now would "
          + switch (policy) {
            case REJECT -> "be rejected (concurrencyPolicy reject)";
            case QUEUE -> "wait up to " + profile.queueWaitSeconds() + " s for it to end"
                + " (concurrencyPolicy queue)";
            case SUPERSEDE -> "first return it to its baseline (concurrencyPolicy supersede)";
          } + "; plan again once it has ended to see the config diff and risks"));
    }
    if (holder != null && holder.phase() == RolloutPhase.NEEDS_A_PERSON) {
      throw new EndpointLockedException(ep, lock.owner(), "endpoint " + ep + " locked by"
          + " execution " + lock.owner() + ", which needs a person: its way back could not be"
          + " verified, so no rollout starts until someone has looked and released the lock"
          + " (see that rollout's notification)");
    }
    LOG.atInfo().addKeyValue("holder", lock.owner()).addKeyValue("holderPhase", phase)
        .addKeyValue("concurrencyPolicy", policy.wire())
        .log("endpoint locked by another rollout");
    if (policy == ConcurrencyPolicy.REJECT) {
      throw new EndpointLockedException(ep, lock.owner(), "endpoint " + ep + " locked by"
          + " execution " + lock.owner() + " (concurrencyPolicy reject: nothing was changed;"
          + " start this rollout again once " + lock.owner() + " has ended)");
    }
    PlanDocument plan = PlanDocument.bare(request.action(), exec.name(), ep, arn.toString(),
        request.trigger(), request.reason());
    return new PlanDocument(plan.action(), plan.deploymentId(), ep, plan.modelPackageArn(),
        pkg.groupName(), pkg.version(), null, null, null, null, List.of(), List.of(), 0, 0, 0, 0,
        List.of(), List.of(), request.trigger(), List.of(holding), List.of(), null,
        request.reason(), request.overrides().fields(), false, null, null, null, 0)
        .waitingFor(new PlanDocument.Contention(lock.owner(), phase, policy.wire(),
            profile.queueWaitSeconds()));
  }

  /**
   * The package the endpoint serves before the rollout, for the ledger (a later rollback names
   * it): the config's Poolshift tag, else the package the baseline variant's model was built
   * from; null when neither says.
   */
  private String baselinePackage(EndpointConfigSpec current, String variantName) {
    String tagged = current.tags().get(EndpointConfigSpec.MODEL_PACKAGE_TAG);
    if (tagged != null) {
      return tagged;
    }
    VariantSpec v = current.variant(variantName);
    return v == null ? null : ports.registry().packageOfModel(v.modelName()).orElse(null);
  }

  /**
   * Every pool the rollout would create must be an allowed type (IAM denies the rest anyway):
   * named by its place in the input when the input gave the pools, else in the profile.
   */
  private void requireAllowed(ExecutionRequest request, ModelPackage pkg, RolloutPlan rollout) {
    AllowedInstanceTypes allowed = settings.allowedInstanceTypes();
    List<String> requested = rollout.requestedPools().stream().map(InstancePool::instanceType)
        .toList();
    if (requested.stream().allMatch(allowed::allows)) {
      return;
    }
    FieldErrors errors = new FieldErrors();
    if (request.overrides().instancePools() != null) {
      allowed.check(errors, "instancePools", request.overrides().instancePools().stream()
          .map(PoolPreference::instanceType).toList());
    }
    if (errors.isEmpty()) {
      allowed.check(errors, "instancePools", requested);
      errors.throwIfAny("deployment profile " + pkg.groupName() + " (pools as the rollout would"
          + " request them, the endpoint's current type first when keepCurrentTypeFirst)");
    }
    errors.throwIfAny("rollout input");
  }

  /** DescribeModelPackage, with the field named when it is missing or not deployable. */
  private ModelPackage describePackage(ModelPackageArn arn) {
    ModelPackage pkg;
    try {
      pkg = ports.registry().describePackage(arn);
    } catch (ModelPackageNotFoundException e) {
      throw new ModelPackageNotFoundException("modelPackageArn: no model package " + arn
          + " in the Model Registry (" + e.getMessage() + ")");
    }
    try {
      pkg.requireDeployable();
    } catch (ModelPackageNotDeployableException e) {
      throw new ModelPackageNotDeployableException("modelPackageArn: " + e.getMessage());
    }
    return pkg;
  }

  /** DescribeEndpoint, with the field named when there is no such endpoint. */
  private EndpointState describeEndpoint(String endpointName) {
    try {
      return ports.endpoints().describe(endpointName);
    } catch (EndpointNotFoundException e) {
      throw new EndpointNotFoundException("endpointName: no endpoint named " + endpointName
          + " (" + e.getMessage() + ")");
    }
  }

  /**
   * The package an endpoint serves, for a migrate that does not name one: the
   * {@code poolshift:model-package} tag of its config (of the config the holder of its lock
   * started from, while a rollout runs), else the package its only variant's model was built
   * from.
   */
  private ModelPackageArn servingPackage(String endpointName) {
    String configName = ports.store().rollout(endpointName).map(ActiveRollout::baselineConfigName)
        .orElseGet(() -> describeEndpoint(endpointName).endpointConfigName());
    EndpointConfigSpec config = ports.endpoints().describeConfig(configName);
    String tagged = config.tags().get(EndpointConfigSpec.MODEL_PACKAGE_TAG);
    if (tagged != null) {
      return ModelPackageArn.parse("modelPackageArn", tagged);
    }
    if (config.productionVariants().size() != 1) {
      throw new InvalidInputException("rollout input", "modelPackageArn", "required for migrate"
          + " on endpoint " + endpointName + ": its config " + configName + " has "
          + config.productionVariants().size() + " variants and no "
          + EndpointConfigSpec.MODEL_PACKAGE_TAG + " tag; name the package it serves");
    }
    String model = config.productionVariants().getFirst().modelName();
    return ports.registry().packageOfModel(model)
        .map(a -> ModelPackageArn.parse("modelPackageArn", a))
        .orElseThrow(() -> new InvalidInputException("rollout input", "modelPackageArn",
            "required for migrate on endpoint " + endpointName + ": its model " + model
                + " was not built from a model package; name the package to run on the pools"));
  }

  /**
   * The package must be in this stack's account and Region (the execution's): a shared or
   * foreign registry is not a source of deployments.
   */
  private static void requireHome(ExecutionRef exec, ModelPackageArn arn) {
    String[] parts = exec.id() == null ? new String[0] : exec.id().split(":");
    if (parts.length < 5 || !"states".equals(parts[2])) {
      return;
    }
    String region = parts[3];
    String account = parts[4];
    if (!arn.isIn(account, region)) {
      throw new InvalidInputException("rollout input", "modelPackageArn", "must be a package"
          + " of account " + account + " in " + region + ", where this stack deploys (got"
          + " account " + arn.account() + " in " + arn.region() + ")");
    }
  }

  /** The endpoint's instances now, by type: live pool counts, else the config's type. */
  private static Map<String, Integer> serving(EndpointState endpoint, EndpointConfigSpec config) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (VariantState v : endpoint.productionVariants()) {
      if (!v.instancePools().isEmpty()) {
        v.instancePools().forEach(p -> out.merge(p.instanceType(), p.currentInstanceCount(),
            Integer::sum));
      } else {
        VariantSpec spec = config.variant(v.variantName());
        if (spec != null && spec.preferredInstanceType() != null) {
          out.merge(spec.preferredInstanceType(), v.currentInstanceCount() == null ? 0
              : v.currentInstanceCount(), Integer::sum);
        }
      }
    }
    return out;
  }

  /**
   * Autoscaling of the variant being replaced. A read that fails is itself the risk: the plan
   * still reports everything else.
   */
  private List<String> autoscalingRisks(String ep, RolloutPlan rollout, EndpointConfigSpec current) {
    Optional<ScalingTargets.ScalingTarget> target;
    try {
      target = ports.scaling().variant(ep, rollout.baselineVariantName());
    } catch (RolloutException e) {
      LOG.atWarn().addKeyValue("error", e.getClass().getName()).addKeyValue("cause", e.getMessage())
          .log("Application Auto Scaling not readable; reported as a risk");
      return List.of("could not read Application Auto Scaling for variant "
          + rollout.baselineVariantName() + " (" + e.getMessage() + "): check by hand whether it is"
          + " autoscaled before deploying");
    }
    if (target.isEmpty()) {
      return List.of();
    }
    VariantSpec before = current.variant(rollout.baselineVariantName());
    VariantSpec after = rollout.finalConfig().variant(rollout.baselineVariantName());
    return List.of(PlanRisks.autoscaled(target.get(), before, after, rollout.canaryVariantName()));
  }

  /**
   * Quota headroom for the second fleet. Reading the quotas or the usage never fails the plan:
   * what could not be read is itself the risk. A rollout (not a dry run) whose canary config
   * certainly cannot be provisioned is refused here, before anything is created.
   */
  private List<String> quotaRisks(ExecutionRequest request, RolloutPlan rollout,
      Map<String, Integer> serving) {
    Map<String, Integer> quotas;
    try {
      quotas = ports.quotas().endpointUsage(QuotaHeadroom.types(rollout.canaryConfig(),
          rollout.finalConfig()));
    } catch (RolloutException e) {
      LOG.atWarn().addKeyValue("error", e.getClass().getName()).addKeyValue("cause", e.getMessage())
          .log("Service Quotas not readable; reported as a risk");
      return List.of(QuotaHeadroom.unreadable(e.getMessage(), serving, rollout.canaryConfig(),
          rollout.finalConfig()));
    }
    InstanceUsage.Usage usage;
    if (quotas.isEmpty()) {
      usage = new InstanceUsage.Usage(serving, 1, true);
    } else {
      try {
        usage = ports.usage().endpointInstances(MAX_ENDPOINTS_COUNTED);
      } catch (RolloutException e) {
        // This endpoint's own fleet is known: counting only it understates the usage, which is
        // still enough to see a rollout that cannot fit.
        LOG.atWarn().addKeyValue("error", e.getClass().getName())
            .addKeyValue("cause", e.getMessage()).log("endpoint usage not readable");
        usage = new InstanceUsage.Usage(serving, 1, false);
      }
    }
    QuotaHeadroom headroom = new QuotaHeadroom(serving, rollout.canaryConfig(),
        rollout.finalConfig(), quotas, usage.byType(), usage.endpointsRead(), usage.complete());
    Optional<String> refusal = headroom.refusal();
    LOG.atInfo().addKeyValue("quotas", quotas).addKeyValue("inUse", usage.byType())
        .addKeyValue("endpointsCounted", usage.endpointsRead())
        .addKeyValue("usageComplete", usage.complete())
        .addKeyValue("refused", refusal.isPresent() && !request.dryRun())
        .log("quota headroom checked");
    if (refusal.isPresent() && !request.dryRun()) {
      throw new ResourceLimitExceededException(refusal.get() + "; the rollout of "
          + rollout.modelPackageArn() + " was not started and nothing was changed; raise the"
          + " quota in Service Quotas (or free instances) and start it again");
    }
    List<String> risks = new ArrayList<>(headroom.risks());
    refusal.ifPresent(r -> risks.add("a deploy now would be refused before touching the endpoint: "
        + r));
    return risks;
  }

  /** The rollout's alarms (gate and canary) in ALARM now, with their reasons: a bake would roll back at once. */
  private Map<String, String> alarmsInAlarm(List<String> alarmNames) {
    Map<String, String> out = new LinkedHashMap<>();
    if (alarmNames.isEmpty()) {
      return out;
    }
    ports.alarms().describe(alarmNames).forEach((name, status) -> {
      if (status.state() == AlarmState.ALARM) {
        out.put(name, status.reason());
      }
    });
    return out;
  }

}
