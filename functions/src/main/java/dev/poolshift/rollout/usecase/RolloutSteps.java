package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.shared.EndpointOwnership;
import dev.poolshift.rollout.usecase.shared.ExecutionRef;
import dev.poolshift.rollout.usecase.shared.Failure;
import dev.poolshift.rollout.usecase.shared.LedgerEntries;
import dev.poolshift.rollout.usecase.shared.Notifications;
import dev.poolshift.rollout.usecase.shared.PlanDocument;
import dev.poolshift.rollout.usecase.shared.Release;
import dev.poolshift.rollout.usecase.shared.ScalingHold;
import dev.poolshift.rollout.usecase.shared.TurnAround;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.profile.AllowedInstanceTypes;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.plan.CanaryAlarms;
import dev.poolshift.rollout.canary.CanaryGate;
import dev.poolshift.rollout.CanaryRejectedException;
import dev.poolshift.rollout.canary.CanaryStep;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.profile.ConcurrencyPolicy;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.ModelPackageNotDeployableException;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.plan.PlanRisks;
import dev.poolshift.rollout.pool.QuotaHeadroom;
import dev.poolshift.rollout.ResourceLimitExceededException;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.canary.GateOutcome;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.canary.GatePolicy;
import dev.poolshift.rollout.canary.GateReadings;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.plan.PlanReview;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.pool.PoolLanding;
import dev.poolshift.rollout.profile.PoolPreference;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.plan.RolloutPlanner;
import dev.poolshift.rollout.plan.RolloutRequest;
import dev.poolshift.rollout.ScalingNotRestoredException;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.plan.WaitBounds;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.AlarmMapping;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.Alarms;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.Metrics;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.Notification;
import dev.poolshift.rollout.port.Notifier;
import dev.poolshift.rollout.port.ProfileStore;
import dev.poolshift.rollout.port.Promotion;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.InstanceQuotas;
import dev.poolshift.rollout.port.InstanceUsage;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.port.TrafficShifter;
import dev.poolshift.rollout.port.VariantMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Every step of the rollout workflow ({@code statemachine/rollout.asl.json}, contract in
 * {@code STEPS.md}), dispatched on {@link StepInput#step()}. Each step is safe to run again (a
 * Lambda retry after a lost response): writes are sets, creates recognise their own resources,
 * and SageMaker is read before it is changed. Time comes from the step's {@code now} only.
 */
public final class RolloutSteps {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutSteps.class);
  /** Token items outlive their wait by a day, then DynamoDB's TTL removes them. */
  private static final long TOKEN_TTL_SLACK_SECONDS = 86_400;
  private static final double WEIGHT_TOLERANCE = EndpointState.WEIGHT_TOLERANCE;
  /** Endpoints a plan reads to count the instances in use: bounds the plan's SageMaker reads. */
  static final int MAX_ENDPOINTS_COUNTED = 100;

  /**
   * From the function's environment.
   *
   * @param managedAlarmPrefix {@code MANAGED_ALARM_PREFIX}
   * @param stackExecutionRoleArn {@code SAGEMAKER_EXECUTION_ROLE_ARN}: the only role the stack
   *     may pass; a profile naming another is a plan risk (null: unknown)
   * @param stateTable {@code STATE_TABLE}, for the commands in notifications (null: unknown)
   * @param allowedInstanceTypes {@code ALLOWED_INSTANCE_TYPES}: the types a rollout may put in an
   *     endpoint config
   */
  public record Settings(String managedAlarmPrefix, String stackExecutionRoleArn,
      String stateTable, AllowedInstanceTypes allowedInstanceTypes) {

    public Settings {
      allowedInstanceTypes = allowedInstanceTypes == null ? AllowedInstanceTypes.ANY
          : allowedInstanceTypes;
    }

    /** Every instance type allowed. */
    public Settings(String managedAlarmPrefix, String stackExecutionRoleArn, String stateTable) {
      this(managedAlarmPrefix, stackExecutionRoleArn, stateTable, AllowedInstanceTypes.ANY);
    }
  }

  /** Everything the steps call. */
  public record Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
      TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
      Notifier notifier, TaskCallbacks callbacks, ScalingTargets scaling,
      InstanceQuotas quotas, InstanceUsage usage) {

    public Ports {
      scaling = scaling == null ? ScalingTargets.NONE : scaling;
      quotas = quotas == null ? InstanceQuotas.NONE : quotas;
      usage = usage == null ? InstanceUsage.NONE : usage;
    }

    /** Without Service Quotas: no quota is listed, and usage is not counted. */
    public Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
        TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
        Notifier notifier, TaskCallbacks callbacks, ScalingTargets scaling) {
      this(registry, profiles, endpoints, traffic, store, ledger, alarms, metrics, notifier,
          callbacks, scaling, InstanceQuotas.NONE, InstanceUsage.NONE);
    }

    /** Without Application Auto Scaling: no variant is autoscaled. */
    public Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
        TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
        Notifier notifier, TaskCallbacks callbacks) {
      this(registry, profiles, endpoints, traffic, store, ledger, alarms, metrics, notifier,
          callbacks, ScalingTargets.NONE);
    }
  }

  /** A verify step's answer; the workflow branches on {@code live}, fails with {@code error}. */
  public record Verification(boolean live, String error, String reason, List<PoolCount> poolMix) {
  }

  /** The gate's answer; {@code waitSeconds} only with KEEP_BAKING. */
  public record Judgement(String verdict, String reason, Integer waitSeconds) {
  }

  private final Settings settings;
  private final Ports ports;
  private final Release release;
  private final Contention contention;
  private final OperatorActions operators;
  private final PreviousRelease previousRelease;
  private final ScalingHold scalingHold;

  public RolloutSteps(Settings settings, Ports ports) {
    this.settings = settings;
    this.ports = ports;
    this.contention = new Contention(ports.store(), ports.callbacks());
    this.operators = new OperatorActions(ports.store(), ports.callbacks(), ports.ledger());
    this.scalingHold = new ScalingHold(ports.scaling(), ports.store(), ports.ledger(),
        ports.notifier());
    this.previousRelease = new PreviousRelease(ports.store(), ports.endpoints(), ports.ledger(),
        scalingHold);
    this.release = new Release(ports.store(), ports.alarms(), ports.endpoints(), ports.registry(),
        ports.callbacks(), scalingHold);
  }

  /**
   * Runs one step.
   *
   * @return the step's result, serialised as the Lambda's payload
   * @throws RolloutException the typed errors the workflow matches by class name
   */
  public Object run(StepInput in) {
    logKeys(in);
    String step = in.step() == null ? "" : in.step();
    return switch (step) {
      case "plan" -> plan(in);
      case "lock" -> lock(in);
      case "createModels" -> createModels(in);
      case "createCanaryConfig" -> createCanaryConfig(in);
      case "updateEndpoint" -> updateEndpoint(in);
      case "awaitEndpoint" -> awaitEndpoint(in);
      case "observeEndpoint" -> observeEndpoint(in);
      case "verifyCanaryFleet" -> verifyCanaryFleet(in);
      case "shiftTraffic" -> shiftTraffic(in);
      case "startBake" -> startBake(in);
      case "judgeCanary" -> judgeCanary(in);
      case "holdForOperator" -> holdForOperator(in);
      case "promote" -> promote(in);
      case "verifyPromoted" -> verifyPromoted(in);
      case "restoreBaselineTraffic" -> restoreBaselineTraffic(in);
      case "restoreBaselineConfig" -> restoreBaselineConfig(in);
      case "verifyBaseline" -> verifyBaseline(in);
      case "record" -> record(in);
      case "unlock" -> unlock(in);
      case "notify" -> notifyOutcome(in);
      case "abandon" -> abandon(in);
      case "escalate" -> escalate(in);
      case "supersede" -> contention.supersede(in.requirePlan(), in.requireExecution(),
          in.requireNow());
      case "awaitEndpointLock" -> contention.awaitLock(in.requirePlan(), in.requireExecution(),
          in.requireNow(), in.requireTaskToken());
      case "leaveQueue" -> contention.leave(in.requirePlan(), in.requireExecution());
      case "deliverAction" -> operators.deliver(in.requirePlan(), in.requireExecution(),
          in.requireNow());
      case "awaitOutcome" -> operators.awaitOutcome(in.requirePlan(), in.requireExecution(),
          in.requireNow(), in.requireTaskToken());
      case "reportOutcome" -> operators.report(in.requirePlan(), in.requireExecution());
      case "restorePrevious" -> previousRelease.restore(in.requirePlan(), in.requireExecution(),
          in.requireNow());
      case "verifyRestored" -> previousRelease.verify(in.requirePlan(), in.requireExecution(),
          in.requireNow());
      default -> throw new InvalidInputException("rollout step", "step", "unknown step "
          + (in.step() == null ? "(none)" : "\"" + in.step() + "\""));
    };
  }

  // ------------------------------------------------------------------ plan and lock

  /**
   * Read-only: validates the request (every field, before any other call), reads the registry,
   * the profile and the endpoint, and plans. A rollback, promote or abort is planned by
   * {@link PreviousRelease} and {@link OperatorActions}. When another rollout holds the endpoint
   * the profile's concurrency policy decides: reject throws, queue and supersede return a plan
   * that waits for the endpoint (the workflow plans again once it is free).
   */
  PlanDocument plan(StepInput in) {
    ExecutionRef exec = in.requireExecution();
    ExecutionRequest request = ExecutionRequest.parse(in.request());
    if (request.operatorAction()) {
      return operators.plan(exec, request);
    }
    if (ExecutionRequest.ROLLBACK.equals(request.action())) {
      return previousRelease.plan(exec, request);
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

  /**
   * Takes the endpoint (lock + active-rollout record + alarm mappings, atomically), then checks
   * the endpoint still runs the config the plan was made from. Another execution holding it
   * throws {@link EndpointLockedException}: the workflow plans again, and the plan applies the
   * profile's concurrency policy.
   */
  Map<String, Object> lock(StepInput in) {
    PlanDocument plan = in.requirePlan();
    ExecutionRef exec = in.requireExecution();
    Instant now = in.requireNow();
    Map<String, Object> locked = history(now, "locked");
    locked.put("action", plan.action());
    ActiveRollout active = plan.isRollback()
        ? PreviousRelease.activeRollout(plan, exec, startedAt(exec, now), locked)
        : new ActiveRollout(plan.endpointName(), exec.name(), exec.id(),
            plan.modelPackageArn(), plan.baseline().endpointConfigName(),
            plan.baseline().variantName(), plan.baseline().weight(), plan.canaryConfigName(),
            plan.canaryVariantName(), plan.finalConfigName(), plan.models(), plan.alarms(),
            plan.managedAlarms(), plan.trigger(), startedAt(exec, now), RolloutPhase.LOCKED,
            null, null, List.of(locked));
    try {
      ports.store().lock(new EndpointLock(plan.endpointName(), exec.name(), exec.id(),
          plan.modelPackageArn(), now), active, plan.alarms().stream()
          .map(a -> new AlarmMapping(a, plan.endpointName(), exec.name())).toList());
    } catch (EndpointLockedException e) {
      LOG.atInfo().addKeyValue("holder", e.holder())
          .log("endpoint locked by another rollout since the plan; planning again");
      throw e;
    }
    EndpointState endpoint = ports.endpoints().describe(plan.endpointName());
    String baseline = plan.baseline().endpointConfigName();
    if (!baseline.equals(endpoint.endpointConfigName())
        || (endpoint.pendingConfigName() != null
            && !baseline.equals(endpoint.pendingConfigName()))) {
      // Someone changed the endpoint between plan and lock: the plan's baseline is stale.
      throw new IncompatibleEndpointException("endpoint " + plan.endpointName() + " runs config "
          + endpoint.endpointConfigName() + (endpoint.pendingConfigName() == null ? ""
              : " (deploying " + endpoint.pendingConfigName() + ")") + " but the plan was made"
          + " from " + baseline + "; nothing was changed, start the rollout again");
    }
    LOG.atInfo().addKeyValue("alarms", plan.alarms()).log("endpoint locked for the rollout");
    return Map.of();
  }

  // ------------------------------------------------------------------ resources

  Map<String, Object> createModels(StepInput in) {
    RolloutPlan rollout = in.requirePlan().rollout();
    for (ModelToCreate model : rollout.models()) {
      ports.registry().createModel(model);
    }
    List<String> names = rollout.models().stream().map(ModelToCreate::modelName).toList();
    LOG.atInfo().addKeyValue("models", names).log("models created");
    return Map.of("models", names);
  }

  Map<String, Object> createCanaryConfig(StepInput in) {
    RolloutPlan rollout = in.requirePlan().rollout();
    ports.endpoints().createConfig(rollout.canaryConfig());
    LOG.atInfo().addKeyValue("endpointConfigName", rollout.canaryConfig().name())
        .addKeyValue("variants", rollout.canaryConfig().variantNames())
        .log("canary endpoint config created");
    return Map.of("endpointConfigName", rollout.canaryConfig().name());
  }

  Map<String, Object> updateEndpoint(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    String target = in.requireEndpointConfigName();
    EndpointUpdate update;
    RolloutPhase phase;
    if (target.equals(plan.canaryConfigName())) {
      update = plan.rollout().canaryUpdate(List.of());
      phase = RolloutPhase.CANARY_FLEET;
    } else if (target.equals(plan.finalConfigName())) {
      update = plan.rollout().finalUpdate(List.of());
      phase = RolloutPhase.FINAL_FLEET;
    } else {
      throw new InvalidInputException("rollout step updateEndpoint", "endpointConfigName",
          "must be the plan's canary or final config (got " + target + ")");
    }
    requireNoStop(plan.endpointName(), owner);
    ports.store().setPhase(plan.endpointName(), owner, phase, null);
    suspendScaling(plan, owner, in.requireNow());
    applyUpdate(update);
    LOG.atInfo().addKeyValue("endpointConfigName", target).addKeyValue("phase", phase.wire())
        .log("endpoint update to the new config requested");
    return Map.of();
  }

  /**
   * Takes the baseline variant out of auto scaling before an UpdateEndpoint (SageMaker refuses
   * to change a registered variant's instance type); the setup is put back when the lock is
   * released. The baseline keeps the instance count it had meanwhile.
   */
  private void suspendScaling(PlanDocument plan, String owner, Instant now) {
    scalingHold.suspend(plan.endpointName(), owner, plan.baseline().variantName(), now)
        .ifPresent(entry -> ports.store().appendHistory(plan.endpointName(), owner, entry));
  }

  /** UpdateEndpoint to a config this rollout just created. */
  private void applyUpdate(EndpointUpdate update) {
    try {
      ports.endpoints().update(update);
    } catch (EndpointConfigNotFoundException e) {
      // The config was created by an earlier step; "not found" now is SageMaker's eventual
      // consistency right after CreateEndpointConfig, and goes away on a retry.
      throw new TransientServiceException("endpoint config " + update.endpointConfigName()
          + " is not visible yet right after its creation: " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ waits

  /**
   * Parks the wait's token, then looks: when the endpoint has already settled (the event came
   * before the token was parked, or there was nothing to wait for), completes the wait itself.
   */
  Map<String, Object> awaitEndpoint(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    Instant now = in.requireNow();
    RolloutPhase phase = in.requirePhase();
    TaskToken token = in.requireTaskToken();
    String ep = plan.endpointName();
    long bound = phase == RolloutPhase.CANARY_WEIGHTS || phase == RolloutPhase.BASELINE_WEIGHTS
        ? plan.weightsWaitSeconds() : plan.fleetWaitSeconds();
    ports.store().register(new TokenRegistration(ep, TokenKind.WAIT, owner, token, phase, null,
        now, null, now.plusSeconds(bound + TOKEN_TTL_SLACK_SECONDS)));
    if (phase.forward()) {
      requireNoStopOr(ep, owner, () -> ports.store().deregister(ep, TokenKind.WAIT, token));
    }
    Observation observation = Observation.of(ports.endpoints().describe(ep));
    if (observation.settled()) {
      CallbackResult result = ports.callbacks().succeed(token, observation);
      ports.store().deregister(ep, TokenKind.WAIT, token);
      LOG.atInfo().addKeyValue("phase", phase.wire()).addKeyValue("status", observation.status())
          .addKeyValue("endpointConfigName", observation.endpointConfigName())
          .addKeyValue("callback", result.name())
          .log("endpoint already settled; wait completed at once");
    } else {
      LOG.atInfo().addKeyValue("phase", phase.wire()).addKeyValue("status", observation.status())
          .addKeyValue("pendingConfigName", observation.pendingConfigName())
          .log("waiting for the endpoint-state event");
    }
    return Map.of();
  }

  /** The backstop after a wait timed out: read the endpoint directly. */
  Observation observeEndpoint(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    RolloutPhase phase = in.requirePhase();
    Observation observation = Observation.of(ports.endpoints().describe(plan.endpointName()));
    if (observation.settled()) {
      ports.store().deregisterOwned(plan.endpointName(), TokenKind.WAIT, owner);
    }
    LOG.atInfo().addKeyValue("phase", phase.wire()).addKeyValue("status", observation.status())
        .addKeyValue("settled", observation.settled())
        .log("no endpoint event within the backstop; read DescribeEndpoint");
    return observation;
  }

  // ------------------------------------------------------------------ canary

  /**
   * The canary fleet is live when the endpoint is InService on the canary config (SageMaker
   * rolls a failed update back on its own, sometimes without a FailureReason), with both
   * variants at the weights asked and the fleet on hardware the fallback policy accepts.
   */
  Verification verifyCanaryFleet(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    Instant now = in.requireNow();
    RolloutPlan rollout = plan.rollout();
    EndpointState s = ports.endpoints().describe(plan.endpointName());
    Verification v = verifyCanary(plan, rollout, s);
    Map<String, Object> entry = history(now, "fleet");
    entry.put("live", v.live());
    entry.put("reason", v.reason());
    entry.put("poolMix", poolMix(v.poolMix()));
    ports.store().appendHistory(plan.endpointName(), owner, entry);
    LOG.atInfo().addKeyValue("live", v.live()).addKeyValue("status", s.status())
        .addKeyValue("endpointConfigName", s.endpointConfigName())
        .addKeyValue("poolMix", poolMix(v.poolMix()))
        .addKeyValue("fallbackPolicy", rollout.profile().fallbackPolicy().wire())
        .addKeyValue("reason", v.reason()).log("canary fleet verified");
    return v;
  }

  private static Verification verifyCanary(PlanDocument plan, RolloutPlan rollout,
      EndpointState s) {
    String failed = DeploymentFailedException.class.getName();
    if (!s.inService()) {
      return new Verification(false, failed, "endpoint " + plan.endpointName() + " is "
          + s.status() + " after the canary update; FailureReason: " + reason(s), List.of());
    }
    if (!plan.canaryConfigName().equals(s.endpointConfigName())) {
      return new Verification(false, failed, "SageMaker did not complete the canary update:"
          + " endpoint " + plan.endpointName() + " runs config " + s.endpointConfigName()
          + ", not " + plan.canaryConfigName() + " (rolled back); FailureReason: " + reason(s),
          List.of());
    }
    VariantState baseline = s.variant(plan.baseline().variantName());
    VariantState canary = s.variant(plan.canaryVariantName());
    if (baseline == null || canary == null) {
      return new Verification(false, failed, "endpoint " + plan.endpointName() + " reports"
          + " variants " + s.productionVariants().stream().map(VariantState::variantName).toList()
          + "; expected " + plan.baseline().variantName() + " and " + plan.canaryVariantName(),
          List.of());
    }
    if (!near(baseline.currentWeight(), plan.baseline().weight())
        || !near(canary.currentWeight(), 0.0)) {
      return new Verification(false, failed, "weights after the canary update are "
          + plan.baseline().variantName() + "=" + baseline.currentWeight() + ", "
          + plan.canaryVariantName() + "=" + canary.currentWeight() + "; expected "
          + plan.baseline().weight() + " and 0", canary.instancePools());
    }
    if (canary.currentInstanceCount() != null && canary.currentInstanceCount() == 0) {
      return new Verification(false, failed, "canary variant " + plan.canaryVariantName()
          + " has no instances", canary.instancePools());
    }
    GateOutcome.Decision landing = new PoolLanding(rollout.requestedPools(),
        canary.instancePools()).judge(rollout.profile().fallbackPolicy());
    if (landing.verdict() != Verdict.CONTINUE) {
      return new Verification(false, CanaryRejectedException.class.getName(), landing.reason()
          + (landing.verdict() == Verdict.INCONCLUSIVE
              ? "; a person must accept this hardware, so the rollout rolls back" : ""),
          canary.instancePools());
    }
    return new Verification(true, null, landing.reason(), canary.instancePools());
  }

  /** Sets (never increments) the step's weights; a retry finds them set and sends nothing. */
  Map<String, Object> shiftTraffic(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    Instant now = in.requireNow();
    RolloutPlan rollout = plan.rollout();
    CanaryStep step = rollout.schedule().step(in.requireStepIndex());
    String ep = plan.endpointName();
    requireNoStop(ep, owner);
    EndpointState s = ports.endpoints().describe(ep);
    if (!plan.canaryConfigName().equals(s.endpointConfigName())) {
      throw new DeploymentFailedException("endpoint " + ep + " runs config "
          + s.endpointConfigName() + ", not the canary config " + plan.canaryConfigName()
          + "; traffic was not shifted (FailureReason: " + reason(s) + ")");
    }
    ports.store().setPhase(ep, owner, RolloutPhase.CANARY_WEIGHTS, step.index());
    List<VariantWeight> weights = rollout.weightsAt(step);
    ports.traffic().setWeights(ep, weights);
    Map<String, Object> entry = history(now, "shift");
    entry.put("stepIndex", step.index());
    entry.put("percent", step.percent());
    entry.put("weights", weightMap(weights));
    ports.store().appendHistory(ep, owner, entry);
    LOG.atInfo().addKeyValue("stepIndex", step.index()).addKeyValue("percent", step.percent())
        .addKeyValue("weights", weightMap(weights)).log("canary weights set");
    return Map.of("weights", weightMap(weights), "percent", step.percent());
  }

  /**
   * Starts a bake: makes sure the canary alarms exist, parks the bake's token (a canary alarm
   * fails it), and refuses to bake when an alarm is already in ALARM (it sends no new event) or
   * the step's weights are not what SageMaker serves.
   */
  Map<String, Object> startBake(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    Instant now = in.requireNow();
    RolloutPlan rollout = plan.rollout();
    CanaryStep step = rollout.schedule().step(in.requireStepIndex());
    TaskToken token = in.requireTaskToken();
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
            + TOKEN_TTL_SLACK_SECONDS)));
    requireNoStopOr(ep, owner, () -> ports.store().deregister(ep, TokenKind.BAKE, token));
    for (String name : plan.alarms()) {
      AlarmStatus status = states.get(name);
      if (status != null && status.state() == AlarmState.ALARM) {
        ports.store().deregister(ep, TokenKind.BAKE, token);
        LOG.atInfo().addKeyValue("alarm", name).addKeyValue("stepIndex", step.index())
            .log("alarm already in ALARM at bake start; rolling back");
        throw new CanaryAlarmException("alarm " + name + " is in ALARM at the start of step "
            + step.index() + " (" + step.percent() + "%): " + status.reason());
      }
    }
    EndpointState s = ports.endpoints().describe(ep);
    List<VariantWeight> weights = rollout.weightsAt(step);
    if (!s.serves(weights)) {
      ports.store().deregister(ep, TokenKind.BAKE, token);
      throw new DeploymentFailedException("endpoint " + ep + " does not serve step "
          + step.index() + "'s weights " + weightMap(weights) + ": it is " + s.status()
          + " on " + s.endpointConfigName() + " with " + currentWeights(s)
          + "; FailureReason: " + reason(s));
    }
    Optional<Promotion> promotion = promotionFor(ep, owner);
    if (promotion.isPresent()) {
      // An operator asked to skip the bake before it began: its gate runs now.
      CallbackResult result = ports.callbacks().succeed(token, Map.of("promote", true));
      ports.store().deregister(ep, TokenKind.BAKE, token);
      LOG.atInfo().addKeyValue("stepIndex", step.index()).addKeyValue("by",
          promotion.get().by()).addKeyValue("callback", result.name())
          .log("promotion requested by an operator; bake skipped, judging now");
      return Map.of();
    }
    LOG.atInfo().addKeyValue("stepIndex", step.index()).addKeyValue("percent", step.percent())
        .addKeyValue("bakeSeconds", plan.bakeSeconds()).addKeyValue("alarmsCreated", created)
        .addKeyValue("alarms", plan.alarms()).log("bake started under alarms");
    return Map.of();
  }

  /** The gate at the end of a bake: alarms, invocations, thresholds. */
  Judgement judgeCanary(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    Instant now = in.requireNow();
    Instant bakeStartedAt = in.requireBakeStartedAt();
    RolloutPlan rollout = plan.rollout();
    CanaryStep step = rollout.schedule().step(in.requireStepIndex());
    String ep = plan.endpointName();
    ports.store().deregisterOwned(ep, TokenKind.BAKE, owner);
    requireNoStop(ep, owner);

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
    VariantMetrics m = end.isAfter(start)
        ? ports.metrics().variant(ep, plan.canaryVariantName(), start, end,
            policy.p99LatencyMs() != null)
        : new VariantMetrics(0, 0, null);
    Double p99Ms = m.p99LatencyMicros() == null ? null : m.p99LatencyMicros() / 1000.0;
    GateOutcome outcome = CanaryGate.evaluate(policy, step, bakeStartedAt, now,
        new GateReadings(states, m.invocations(), m.errors5xx(), p99Ms));

    Judgement judgement = switch (outcome) {
      case GateOutcome.KeepBaking k -> new Judgement("KEEP_BAKING", k.reason(),
          (int) Math.max(1, (Duration.between(now, k.until()).toMillis() + 999) / 1000));
      case GateOutcome.Decision d -> new Judgement(d.verdict().name(), d.reason(), null);
    };
    Optional<Promotion> promotion = promotionFor(ep, owner);
    if (promotion.isPresent() && !Verdict.ROLL_BACK.name().equals(judgement.verdict())) {
      // A person may skip waiting for evidence, never evidence against: a roll-back verdict
      // (an alarm in ALARM, a breached threshold) stands.
      judgement = new Judgement(Verdict.PROMOTE.name(), "step " + step.index() + " at "
          + step.percent() + "%: promoted by " + promotion.get().by() + " from the console ("
          + promotion.get().requestedBy() + "): " + promotion.get().reason() + " (the gate"
          + " said: " + judgement.reason() + ")", null);
      outcome = new GateOutcome.Decision(Verdict.PROMOTE, judgement.reason());
    }
    if (outcome instanceof GateOutcome.Decision) {
      Map<String, Object> entry = history(now, "verdict");
      entry.put("stepIndex", step.index());
      entry.put("percent", step.percent());
      entry.put("verdict", judgement.verdict());
      entry.put("reason", judgement.reason());
      entry.put("invocations", m.invocations());
      entry.put("errors5xx", m.errors5xx());
      entry.put("p99LatencyMs", p99Ms);
      entry.put("alarms", stateNames(states));
      ports.store().appendHistory(ep, owner, entry);
    }
    LOG.atInfo().addKeyValue("stepIndex", step.index()).addKeyValue("percent", step.percent())
        .addKeyValue("verdict", judgement.verdict()).addKeyValue("invocations", m.invocations())
        .addKeyValue("errors5xx", m.errors5xx()).addKeyValue("p99LatencyMs", p99Ms)
        .addKeyValue("max5xxRate", policy.max5xxRate())
        .addKeyValue("p99SlaMs", policy.p99LatencyMs())
        .addKeyValue("minInvocations", policy.minInvocations())
        .addKeyValue("alarms", stateNames(states)).addKeyValue("window", start + "/" + end)
        .addKeyValue("reason", judgement.reason()).log("canary step judged");
    return judgement;
  }

  /** Parks the hold's token and asks a person to decide. */
  Map<String, Object> holdForOperator(StepInput in) {
    PlanDocument plan = in.requirePlan();
    ExecutionRef exec = in.requireExecution();
    Instant now = in.requireNow();
    CanaryStep step = plan.rollout().schedule().step(in.requireStepIndex());
    TaskToken token = in.requireTaskToken();
    String ep = plan.endpointName();
    String reason = in.reason() == null ? "the gate could not decide" : in.reason();
    ports.store().register(new TokenRegistration(ep, TokenKind.HOLD, exec.name(), token, null,
        step.index(), now, reason,
        now.plusSeconds(plan.operatorWaitSeconds() + TOKEN_TTL_SLACK_SECONDS)));
    requireNoStopOr(ep, exec.name(),
        () -> ports.store().deregister(ep, TokenKind.HOLD, token));
    Optional<Promotion> promotion = promotionFor(ep, exec.name());
    if (promotion.isPresent()) {
      Map<String, Object> decision = new LinkedHashMap<>();
      decision.put("decision", "promote");
      decision.put("reason", promotion.get().by() + " (console " + promotion.get().requestedBy()
          + "): " + promotion.get().reason());
      CallbackResult result = ports.callbacks().succeed(token, decision);
      ports.store().deregister(ep, TokenKind.HOLD, token);
      LOG.atInfo().addKeyValue("stepIndex", step.index()).addKeyValue("callback", result.name())
          .log("promotion already requested by an operator; hold decided at once");
      return Map.of();
    }
    Integer nextPercent = step.last() ? null
        : plan.rollout().schedule().next(step).percent();
    ports.notifier().publish(Notifications.holding(plan, exec, step.percent(), nextPercent,
        reason, plan.operatorWaitSeconds()));
    LOG.atInfo().addKeyValue("stepIndex", step.index()).addKeyValue("percent", step.percent())
        .addKeyValue("operatorWaitSeconds", plan.operatorWaitSeconds())
        .addKeyValue("reason", reason).log("step held for an operator's decision");
    return Map.of();
  }

  // ------------------------------------------------------------------ promotion

  /** The final config (one pooled variant under the baseline's name) and UpdateEndpoint to it. */
  Map<String, Object> promote(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    RolloutPlan rollout = plan.rollout();
    String ep = plan.endpointName();
    requireNoStop(ep, owner);
    EndpointState s = ports.endpoints().describe(ep);
    boolean already = plan.finalConfigName().equals(s.endpointConfigName())
        || plan.finalConfigName().equals(s.pendingConfigName());
    if (!already && !plan.canaryConfigName().equals(s.endpointConfigName())) {
      throw new DeploymentFailedException("endpoint " + ep + " runs config "
          + s.endpointConfigName() + ", not the canary config " + plan.canaryConfigName()
          + "; not promoting what was not canaried (FailureReason: " + reason(s) + ")");
    }
    ports.store().setPhase(ep, owner, RolloutPhase.FINAL_FLEET, null);
    ports.endpoints().createConfig(rollout.finalConfig());
    if (!already) {
      // Taken out before the canary already; again in case someone registered it meanwhile.
      suspendScaling(plan, owner, in.requireNow());
    }
    applyUpdate(rollout.finalUpdate(List.of()));
    LOG.atInfo().addKeyValue("endpointConfigName", plan.finalConfigName())
        .addKeyValue("pools", rollout.requestedPools().stream()
            .map(p -> p.priority() + ":" + p.instanceType()).toList())
        .log("promotion to the final config requested");
    return Map.of("endpointConfigName", plan.finalConfigName());
  }

  Verification verifyPromoted(StepInput in) {
    PlanDocument plan = in.requirePlan();
    RolloutPlan rollout = plan.rollout();
    EndpointState s = ports.endpoints().describe(plan.endpointName());
    Verification v = verifyFinal(plan, rollout, s);
    Map<String, Object> entry = history(in.requireNow(), "promoted-fleet");
    entry.put("live", v.live());
    entry.put("reason", v.reason());
    entry.put("poolMix", poolMix(v.poolMix()));
    ports.store().appendHistory(plan.endpointName(), in.requireExecution().name(), entry);
    LOG.atInfo().addKeyValue("live", v.live()).addKeyValue("status", s.status())
        .addKeyValue("endpointConfigName", s.endpointConfigName())
        .addKeyValue("poolMix", poolMix(v.poolMix())).addKeyValue("reason", v.reason())
        .log("promotion verified");
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

  // ------------------------------------------------------------------ rollback

  /** Traffic first: all weight back on the baseline variant, in one call. */
  Map<String, Object> restoreBaselineTraffic(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    String ep = plan.endpointName();
    ports.store().setPhase(ep, owner, RolloutPhase.BASELINE_WEIGHTS, null);
    EndpointState s = ports.endpoints().describe(ep);
    requireWritable(s, ep);
    if (plan.canaryConfigName().equals(s.endpointConfigName())) {
      ports.traffic().setWeights(ep, plan.rollout().baselineWeights());
      LOG.atInfo().addKeyValue("weights", weightMap(plan.rollout().baselineWeights()))
          .addKeyValue("failure", in.failure() == null ? null : in.failure().error())
          .log("baseline weights restored");
    } else {
      LOG.atInfo().addKeyValue("endpointConfigName", s.endpointConfigName())
          .addKeyValue("pendingConfigName", s.pendingConfigName())
          .addKeyValue("failure", in.failure() == null ? null : in.failure().error())
          .log("canary config not active; no weights to restore");
    }
    return Map.of();
  }

  /** Then the fleet: back to the config recorded before the rollout. */
  Map<String, Object> restoreBaselineConfig(StepInput in) {
    PlanDocument plan = in.requirePlan();
    String owner = in.requireExecution().name();
    String ep = plan.endpointName();
    ports.store().setPhase(ep, owner, RolloutPhase.BASELINE_FLEET, null);
    requireWritable(ports.endpoints().describe(ep), ep);
    ports.endpoints().update(plan.rollout().restoreBaselineUpdate());
    LOG.atInfo().addKeyValue("endpointConfigName", plan.baseline().endpointConfigName())
        .log("endpoint update back to the baseline config requested");
    return Map.of();
  }

  Map<String, Object> verifyBaseline(StepInput in) {
    PlanDocument plan = in.requirePlan();
    EndpointState s = ports.endpoints().describe(plan.endpointName());
    String baseline = plan.baseline().endpointConfigName();
    VariantState v = s.variant(plan.baseline().variantName());
    String problem = !s.inService() ? "endpoint is " + s.status() + " (FailureReason: "
        + reason(s) + ")"
        : !baseline.equals(s.endpointConfigName()) ? "endpoint runs " + s.endpointConfigName()
            + ", not the baseline " + baseline
        : s.pendingConfigName() != null ? "endpoint is deploying " + s.pendingConfigName()
        : v == null ? "baseline variant " + plan.baseline().variantName() + " is missing"
        : !near(v.currentWeight(), plan.baseline().weight()) ? "baseline variant weight is "
            + v.currentWeight() + ", expected " + plan.baseline().weight()
        : s.variant(plan.canaryVariantName()) != null ? "canary variant still present"
        : null;
    boolean live = problem == null;
    String reason = live ? "endpoint " + plan.endpointName() + " serves all traffic from its"
        + " baseline config " + baseline : problem;
    LOG.atInfo().addKeyValue("live", live).addKeyValue("status", s.status())
        .addKeyValue("endpointConfigName", s.endpointConfigName()).addKeyValue("reason", reason)
        .log("baseline verified");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("live", live);
    out.put("reason", reason);
    return out;
  }

  // ------------------------------------------------------------------ endings

  Map<String, Object> record(StepInput in) {
    PlanDocument plan = in.requirePlan();
    ExecutionRef exec = in.requireExecution();
    Instant now = in.requireNow();
    String outcome = in.requireOutcome();
    RolloutPhase phase = switch (outcome) {
      case LedgerEntries.PROMOTED -> RolloutPhase.PROMOTED;
      case LedgerEntries.ROLLED_BACK -> RolloutPhase.ROLLED_BACK;
      case LedgerEntries.FAILED -> RolloutPhase.FAILED;
      default -> throw new InvalidInputException("rollout step record", "outcome",
          "must be PROMOTED, ROLLED_BACK or FAILED (got " + outcome + ")");
    };
    writeRecord(plan, exec, outcome, in.failure(), in.observation(), now);
    ports.store().setPhase(plan.endpointName(), exec.name(), phase, null);
    return Map.of();
  }

  private void writeRecord(PlanDocument plan, ExecutionRef exec, String outcome,
      Failure failure, Map<String, Object> observation, Instant now) {
    List<Map<String, Object>> history = ports.store().rollout(plan.endpointName())
        .filter(r -> r.ownedBy(exec.name())).map(ActiveRollout::history).orElse(List.of());
    ports.ledger().put(LedgerEntries.fromPlan(plan, exec, outcome, failure, observation,
        history, now));
    LOG.atInfo().addKeyValue("outcome", outcome)
        .addKeyValue("failure", failure == null ? null : failure.error())
        .log("rollout recorded in the ledger");
  }

  Map<String, Object> unlock(StepInput in) {
    PlanDocument plan = in.requirePlan();
    release.release(target(plan, in.requireExecution()), in.requireNow());
    return Map.of();
  }

  Map<String, Object> notifyOutcome(StepInput in) {
    PlanDocument plan = in.requirePlan();
    ExecutionRef exec = in.requireExecution();
    String outcome = in.requireOutcome();
    EndpointState now = describeForMessage(plan.endpointName());
    Notification n = switch (outcome) {
      case LedgerEntries.PROMOTED -> Notifications.promoted(plan, exec, now);
      case LedgerEntries.ROLLED_BACK -> plan.isRollback()
          ? Notifications.returnedToPrevious(plan, exec, now)
          : Notifications.rolledBack(plan, exec, in.failure(), now);
      case LedgerEntries.FAILED -> plan.isRollback()
          ? Notifications.returnFailed(plan, exec, in.failure(), now)
          : Notifications.failedStart(plan, exec, in.failure());
      default -> throw new InvalidInputException("rollout step notify", "outcome",
          "must be PROMOTED, ROLLED_BACK or FAILED (got " + outcome + ")");
    };
    ports.notifier().publish(n);
    LOG.atInfo().addKeyValue("outcome", outcome).addKeyValue("subject", n.subject())
        .log("on-call notified");
    return Map.of();
  }

  /** A start that failed before the endpoint was touched: record it and let go. */
  Map<String, Object> abandon(StepInput in) {
    PlanDocument plan = in.requirePlan();
    ExecutionRef exec = in.requireExecution();
    writeRecord(plan, exec, LedgerEntries.FAILED, in.failure(), null, in.requireNow());
    release.release(target(plan, exec), in.requireNow());
    return Map.of();
  }

  /**
   * The way back failed: record it, page a person with the evidence, and keep the lock so no
   * automated write (a new rollout, the reconciler) touches the endpoint until someone has
   * looked.
   */
  Map<String, Object> escalate(StepInput in) {
    PlanDocument plan = in.requirePlan();
    ExecutionRef exec = in.requireExecution();
    Instant now = in.requireNow();
    String ep = plan.endpointName();
    ports.store().setPhase(ep, exec.name(), RolloutPhase.NEEDS_A_PERSON, null);
    for (TokenKind kind : TokenKind.values()) {
      ports.store().deregisterOwned(ep, kind, exec.name());
    }
    EndpointState s = describeForMessage(ep);
    Map<String, Object> observation = s == null ? null : observationMap(s);
    writeRecord(plan, exec, LedgerEntries.NEEDS_A_PERSON, in.failure(), observation, now);
    boolean scalingOnly = in.failure() != null
        && ScalingNotRestoredException.class.getName().equals(in.failure().error());
    ports.notifier().publish(scalingOnly
        ? Notifications.scalingNotRestored(plan, exec, in.failure(), s, settings.stateTable())
        : ScalingHold.withKeptSetup(plan.isRollback()
            ? Notifications.returnNeedsAPerson(plan, exec, in.failure(), s, settings.stateTable())
            : Notifications.needsAPerson(plan, exec, in.failure(), in.phase(), s,
                settings.stateTable()), keptScaling(ep, exec.name())));
    // Whoever waits on this endpoint (a queued rollout, an operator's action) looks again now:
    // the lock stays, and they must hear that rather than wait out their bound.
    release.wakeWaiters(ep, exec.name());
    LOG.atInfo().addKeyValue("phase", in.phase())
        .addKeyValue("failure", in.failure() == null ? null : in.failure().error())
        .addKeyValue("status", s == null ? null : s.status())
        .log("rollout needs a person; lock kept, no further automated writes");
    return Map.of();
  }

  // ------------------------------------------------------------------ helpers

  /** The auto scaling setup kept on the owner's lock, or null. */
  private ScalingTargets.ScalingSetup keptScaling(String ep, String owner) {
    return ports.store().lockOf(ep).filter(l -> l.owner().equals(owner))
        .map(EndpointLock::scaling).orElse(null);
  }

  /** An operator's promotion request for the owner's rollout, if one is pending. */
  private Optional<Promotion> promotionFor(String ep, String owner) {
    return ports.store().promotion(ep).filter(p -> p.owner().equals(owner));
  }

  private static Release.Target target(PlanDocument plan, ExecutionRef exec) {
    return new Release.Target(plan.endpointName(), exec.name(),
        plan.baseline().endpointConfigName(), plan.canaryConfigName(), plan.finalConfigName(),
        plan.models(), plan.alarms(), plan.managedAlarms());
  }

  /** A forward step stops when an alarm or a rejection asked the rollout to turn around. */
  private void requireNoStop(String ep, String owner) {
    requireNoStopOr(ep, owner, () -> { });
  }

  private void requireNoStopOr(String ep, String owner, Runnable beforeThrowing) {
    ActiveRollout active = ports.store().rollout(ep).orElse(null);
    if (active == null || !active.ownedBy(owner)) {
      beforeThrowing.run();
      throw new EndpointLockedException(ep, active == null ? null : active.executionName(),
          "endpoint " + ep + " has no active rollout of execution " + owner + " any more"
              + (active == null ? "" : " (it is " + active.executionName() + "'s)"));
    }
    if (active.stop() != null) {
      beforeThrowing.run();
      LOG.atInfo().addKeyValue("stopError", active.stop().error())
          .addKeyValue("stopCause", active.stop().cause())
          .log("rollout asked to turn around; stopping the forward step");
      throw TurnAround.exception(active.stop());
    }
  }

  private static void requireWritable(EndpointState s, String ep) {
    if (EndpointState.NEEDS_A_PERSON.contains(s.status())) {
      throw new DeploymentFailedException("endpoint " + ep + " is " + s.status()
          + "; no automated writes (FailureReason: " + reason(s) + ")");
    }
  }

  private EndpointState describeForMessage(String ep) {
    try {
      return ports.endpoints().describe(ep);
    } catch (RolloutException e) {
      LOG.atWarn().addKeyValue("error", e.getClass().getName())
          .log("DescribeEndpoint failed; the message says traffic is unknown");
      return null;
    }
  }

  private static Map<String, Object> observationMap(EndpointState s) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("status", s.status());
    o.put("endpointConfigName", s.endpointConfigName());
    o.put("pendingConfigName", s.pendingConfigName());
    o.put("failureReason", s.failureReason());
    o.put("weights", currentWeights(s));
    return o;
  }

  private static Map<String, Object> history(Instant at, String kind) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("at", at.toString());
    entry.put("kind", kind);
    return entry;
  }

  private static Map<String, Object> weightMap(List<VariantWeight> weights) {
    Map<String, Object> m = new LinkedHashMap<>();
    weights.forEach(w -> m.put(w.variantName(), w.weight()));
    return m;
  }

  private static Map<String, Object> currentWeights(EndpointState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    s.productionVariants().forEach(v -> m.put(v.variantName(), v.currentWeight()));
    return m;
  }

  private static Map<String, Object> poolMix(List<PoolCount> pools) {
    Map<String, Object> m = new LinkedHashMap<>();
    pools.forEach(p -> m.put(p.instanceType(), p.currentInstanceCount()));
    return m;
  }

  private static Map<String, String> stateNames(Map<String, AlarmState> states) {
    Map<String, String> m = new LinkedHashMap<>();
    states.forEach((k, v) -> m.put(k, v.name()));
    return m;
  }

  private static boolean near(Double actual, double expected) {
    return actual != null && Math.abs(actual - expected) <= WEIGHT_TOLERANCE;
  }

  private static String reason(EndpointState s) {
    return s.failureReason() == null || s.failureReason().isBlank() ? "(none given)"
        : s.failureReason();
  }

  private static Instant startedAt(ExecutionRef exec, Instant now) {
    try {
      return exec.startTime() == null ? now : Instant.parse(exec.startTime());
    } catch (java.time.format.DateTimeParseException e) {
      return now;
    }
  }

  private static void logKeys(StepInput in) {
    MDC.put("step", in.step());
    if (in.execution() != null && in.execution().name() != null) {
      MDC.put("executionName", in.execution().name());
    }
    if (in.plan() != null) {
      MDC.put("endpointName", in.plan().endpointName());
      MDC.put("modelPackageArn", in.plan().modelPackageArn());
    }
  }
}
