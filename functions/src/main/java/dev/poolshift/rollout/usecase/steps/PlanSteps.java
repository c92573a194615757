package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ModelPackageNotDeployableException;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.Release;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.pool.FleetForecast;
import dev.poolshift.rollout.plan.CanaryAlarms;
import dev.poolshift.rollout.plan.ComponentPlanner;
import dev.poolshift.rollout.plan.ConfigRules;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.plan.PlanReview;
import dev.poolshift.rollout.plan.PlanRisks;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.plan.RolloutPlanner;
import dev.poolshift.rollout.plan.RolloutRequest;
import dev.poolshift.rollout.plan.WaitBounds;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.usecase.steps.StepInputs.PlanRequest;
import dev.poolshift.rollout.usecase.support.EndpointOwnership;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.util.ArrayList;
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
final class PlanSteps {
  private static final Logger LOG = LoggerFactory.getLogger(PlanSteps.class);

  private final Settings settings;
  private final Ports ports;
  private final PlanChecks checks;
  private final QueueSteps queue;
  private final OperatorSteps operators;
  private final ReturnSteps returns;
  private final ComponentSteps components;

  PlanSteps(Settings settings, Ports ports, QueueSteps queue, OperatorSteps operators,
      ReturnSteps returns) {
    this.settings = settings;
    this.ports = ports;
    this.checks = new PlanChecks(settings, ports);
    this.queue = queue;
    this.operators = operators;
    this.returns = returns;
    this.components = new ComponentSteps(settings, ports, checks);
  }

  /**
   * Read-only: validates the request (every field, before any other call), reads the registry,
   * the profile and the endpoint, and plans. A rollback, promote or abort is planned by
   * {@link PreviousRelease} and {@link OperatorActions}. When another rollout holds the endpoint
   * the profile's concurrency policy decides: reject throws, queue and supersede return a plan
   * that waits for the endpoint (the workflow plans again once it is free).
   */
  PlanDocument plan(PlanRequest in) {
    return planned(in).withSageMakerRetries(ports.retries().soFar());
  }

  private PlanDocument planned(PlanRequest in) {
    ExecutionRef exec = in.execution();
    ExecutionRequest request = ExecutionRequest.parse(in.request());
    if (request.operatorAction()) {
      return operators.plan(exec, request);
    }
    if (ExecutionRequest.ROLLBACK.equals(request.action())) {
      return returns.plan(exec, request);
    }
    boolean migrate = ExecutionRequest.MIGRATE.equals(request.action());
    Release release = requestedRelease(exec, request);
    MDC.put(release.fromRegistry() ? "modelPackageArn" : "modelName", release.wire());
    ModelPackage pkg = release.fromRegistry() ? describePackage(release.modelPackage()) : null;
    // A registry version's profile is its group's; a model outside the registry has no group, so
    // its endpoint's profile is stored under the endpoint's name.
    String profileName = pkg != null ? pkg.groupName() : request.endpointName();
    DeploymentProfile profile;
    try {
      profile = ports.profiles().load(profileName);
    } catch (ProfileNotFoundException e) {
      if (pkg != null) {
        throw e;
      }
      throw new ProfileNotFoundException("no deployment profile for endpoint " + profileName
          + ": " + release.describe() + " has no model package group, so its profile is the one"
          + " stored under the endpoint's name (" + e.getMessage() + ")", e);
    }
    String endpointName = profile.endpointName();
    MDC.put("endpointName", endpointName);
    if (request.endpointName() != null && !request.endpointName().equalsIgnoreCase(endpointName)) {
      throw new InvalidInputException("rollout input", "endpointName", "the profile "
          + (pkg != null ? "of model package group " : "stored under ") + profileName
          + " deploys to " + endpointName + ", not " + request.endpointName());
    }
    if (migrate && (request.modelPackageArn() != null || request.modelName() != null)) {
      Served serving = servingRelease(endpointName);
      if (!serving.release().sameAs(release.wire()) && !release.wire()
          .equalsIgnoreCase(serving.runningModel())) {
        throw new InvalidInputException("rollout input", request.modelName() != null
            ? "modelName" : "modelPackageArn", "migrate keeps the model endpoint " + endpointName
            + " serves (" + named(serving.release()) + "), not " + named(release)
            + "; use action deploy to change the model");
      }
    }
    profile = request.overrides().applyTo(profile, migrate);
    // A rollout already holding the endpoint is reported as such, not as the leftover canary
    // variant it would otherwise trip over below.
    Optional<EndpointLock> held = ports.store().lockOf(endpointName)
        .filter(l -> !l.owner().equals(exec.name()));
    if (held.isPresent()) {
      return queue.contended(exec, request, release, pkg, profile, held.get());
    }
    EndpointState endpoint = describeEndpoint(endpointName);
    List<String> notManaged = EndpointOwnership.require(ports.endpoints(), endpointName,
        request.dryRun());
    if (endpoint.inProgress()) {
      throw new EndpointBusyException("endpoint " + endpointName + " is " + endpoint.status()
          + "; a rollout starts only from InService");
    }
    EndpointConfigSpec current = ports.endpoints().describeConfig(endpoint.endpointConfigName());
    VariantSpec componentVariant = ComponentPlanner.componentVariant(profile, current);
    if (componentVariant != null) {
      return components.plan(exec, request, pkg, profile, endpoint, current, componentVariant,
          notManaged);
    }
    String baselineVariant = profile.variantName() != null
        ? profile.variantName() : current.productionVariants().size() == 1
            ? current.productionVariants().getFirst().variantName() : null;
    ModelSettings baselineModel = baselineModel(current, baselineVariant);
    String baselineArn = baselinePackage(current, baselineModel);
    RolloutPlan rollout = RolloutPlanner.plan(new RolloutRequest(exec.name(), pkg, profile,
        endpoint, current, baselineBuilds(baselineArn), baselineModel, release,
        baselinePoolModels(current, baselineVariant)));
    checks.requireAllowed(request, profileName, rollout);
    // What CreateEndpointConfig would refuse is refused here, before the lock and the models.
    List<dev.poolshift.rollout.FieldError> broken = ConfigRules.check(rollout);
    if (!broken.isEmpty() && !request.dryRun()) {
      LOG.info("rollout refused: SageMaker would refuse its endpoint configs",
          entry("rules", broken.stream().map(dev.poolshift.rollout.FieldError::path).toList()));
      throw new IncompatibleEndpointException("the endpoint configs this rollout would create"
          + " break SageMaker's rules, so nothing was changed: " + broken.stream()
              .map(Object::toString).toList());
    }
    List<String> managed = CanaryAlarms.names(settings.managedAlarmPrefix(), rollout);
    List<String> alarms = new ArrayList<>(managed);
    alarms.addAll(profile.gateAlarmNames());
    PlanReview review = PlanReview.of(rollout, current, endpoint,
        settings.stackExecutionRoleArn());
    int fleetWait = WaitBounds.fleetSeconds(rollout);
    PlanDocument.Promotion promotion = promotion(rollout, fleetWait);
    List<dev.poolshift.rollout.FieldError> tooLong = PlanRisks.scheduleTooLong(profile, fleetWait,
        WaitBounds.WEIGHTS_SECONDS, promotion.bakeSeconds());
    if (!tooLong.isEmpty() && !request.dryRun()) {
      LOG.info("rollout refused: schedule longer than the execution",
          entry("bakeSeconds", profile.bakeSeconds()), entry("steps", profile.canarySteps()));
      throw new InvalidInputException("deployment profile " + profileName
          + (request.overrides().isEmpty() ? "" : " with this rollout's overrides"), tooLong);
    }
    List<String> risks = new ArrayList<>(notManaged);
    tooLong.forEach(e -> risks.add("would be REJECTED: " + e.path() + ": " + e.message()));
    broken.forEach(e -> risks.add("would be REJECTED: " + e.path() + ": " + e.message()));
    if (!release.fromRegistry()) {
      risks.add(release.describe() + ": the new variant runs a copy of it ("
          + rollout.models().getFirst().modelName() + ": the same image, model data and"
          + " settings, the profile's role) on the pools; the profile is the one stored under"
          + " the endpoint's name");
    }
    risks.addAll(PlanRisks.carriedOver(rollout, current, endpoint));
    risks.addAll(review.risks());
    // An alarm already in ALARM sends no new event: a rollout started now would be blind to it
    // until its first bake, after the endpoint was changed. Refuse before touching anything; a
    // dry run reports it as a risk.
    Map<String, String> inAlarm = checks.alarmsInAlarm(alarms);
    if (!inAlarm.isEmpty() && !request.dryRun()) {
      String why = inAlarm.entrySet().stream()
          .map(e -> "alarm " + e.getKey() + " is already in ALARM (" + e.getValue() + ")").toList().toString();
      LOG.info("rollout refused: alarm in ALARM", entry("alarms", inAlarm.keySet()));
      throw new CanaryAlarmException(why + "; the rollout of " + rollout.release() + " to "
          + endpointName + " was not started and nothing was changed; start it again once the"
          + " alarm is OK");
    }
    Map<String, Integer> serving = PlanChecks.serving(endpoint, current);
    PlanChecks.QuotaCheck quota = checks.quotaRisks(request, rollout, serving);
    risks.addAll(quota.risks());
    List<FleetForecast.Fleet> fleets = FleetForecast.of(
        rollout.blueGreenSwitch() ? null : rollout.canaryConfig(),
        rollout.baselineVariantName(), rollout.canaryVariantName(), rollout.finalConfig(),
        quota.headroom(), serving);
    risks.addAll(PlanRisks.alarmsInAlarm(inAlarm));
    risks.addAll(checks.autoscalingRisks(endpointName, rollout, current));
    risks.addAll(PlanRisks.timing(profile, fleetWait, WaitBounds.WEIGHTS_SECONDS,
        WaitBounds.OPERATOR_SECONDS, CanaryAlarms.forRollout(settings.managedAlarmPrefix(),
            rollout)));
    if (!request.overrides().isEmpty()) {
      risks.add("this rollout overrides the profile's " + request.overrides().fields());
    }
    if (rollout.blueGreenSwitch()) {
      risks.add("asynchronous endpoint: no weighted canary (the canary steps do not apply);"
          + " all requests move to the new version in one blue/green switch, baked "
          + promotion.bakeSeconds() + " s under " + promotion.alarms() + " and judged on its"
          + " failure rate over at least " + profile.minInvocationsPerStep() + " requests");
    }
    PlanDocument plan = new PlanDocument(request.action(), exec.name(), endpointName,
        rollout.modelPackageArn(), pkg == null ? null : pkg.groupName(),
        pkg == null ? 0 : pkg.version(),
        new PlanDocument.Baseline(current.name(), rollout.baselineVariantName(),
            rollout.baselineWeight(), baselineArn),
        rollout.canaryConfig().name(), rollout.canaryVariantName(), rollout.finalConfig().name(),
        rollout.models().stream().map(ModelToCreate::modelName).toList(),
        rollout.schedule().steps(), profile.bakeSeconds(), fleetWait,
        WaitBounds.WEIGHTS_SECONDS, WaitBounds.OPERATOR_SECONDS, alarms, managed,
        request.trigger(), risks, review.configDiff(), rollout, request.reason(),
        request.overrides().fields(), false, null, null, null, 0, promotion, fleets, 0);
    LOG.info("rollout planned", entry("action", plan.action()),
        entry("baselineConfig", current.name()), entry("canaryConfig", plan.canaryConfigName()),
        entry("pools", rollout.requestedPools().stream()
            .map(p -> p.priority() + ":" + p.instanceType()).toList()),
        entry("steps", plan.steps()), entry("risks", risks.size()),
        entry("fleets", fleets.stream().map(f -> f.fleet() + ": " + f.instances() + " on "
            + f.likely()).toList()),
        entry("overridden", plan.overridden()));
    return plan;
  }

  /**
   * The package the endpoint serves before the rollout, for the ledger (a later rollback names
   * it): the config's Poolshift tag, else the package the baseline variant's model was built
   * from; null when neither says.
   */
  private static String baselinePackage(EndpointConfigSpec current, ModelSettings baselineModel) {
    String tagged = current.tags().get(EndpointConfigSpec.MODEL_PACKAGE_TAG);
    if (tagged != null) {
      return tagged;
    }
    // Read with the model's settings: one DescribeModel for both.
    return baselineModel == null ? null : baselineModel.sourcePackageArn();
  }

  /**
   * The settings of the model the baseline variant runs, which every model the rollout creates
   * keeps. A model that is gone (SageMaker lets a running endpoint's model be deleted) cannot
   * say whether it ran in a VPC or isolated: the rollout is refused rather than guessing.
   */
  private ModelSettings baselineModel(EndpointConfigSpec current, String variantName) {
    VariantSpec v = variantName == null ? null : current.variant(variantName);
    if (v == null || v.modelName() == null) {
      return null;
    }
    return ports.registry().modelSettings(v.modelName()).orElseThrow(() ->
        new IncompatibleEndpointException("variant " + v.variantName() + " runs model "
            + v.modelName() + ", which no longer exists (DescribeModel): its settings (VpcConfig,"
            + " EnableNetworkIsolation, Environment, ...) cannot be carried over to the new"
            + " models; recreate it or deploy with a config whose model exists"));
  }

  /**
   * For a baseline variant already on pools, the settings of each model a pool runs through its
   * {@code ModelNameOverride}, by instance type. One that is gone is refused, as the main model is.
   */
  private Map<String, ModelSettings> baselinePoolModels(EndpointConfigSpec current,
      String variantName) {
    VariantSpec v = variantName == null ? null : current.variant(variantName);
    Map<String, ModelSettings> out = new java.util.LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    for (var pool : v.instancePools()) {
      String model = pool.modelNameOverride();
      if (model == null || model.equals(v.modelName())) {
        continue;
      }
      out.put(pool.instanceType(), ports.registry().modelSettings(model).orElseThrow(() ->
          new IncompatibleEndpointException("variant " + v.variantName() + " runs model " + model
              + " on its " + pool.instanceType() + " pool, which no longer exists (DescribeModel):"
              + " its settings cannot be carried over to that pool's new build; recreate it or"
              + " deploy with a config whose models exist")));
    }
    return out;
  }

  /**
   * The promoted fleet's guard: its alarms, SageMaker's termination wait (the profile's bake,
   * at most the 3600 s SageMaker allows) and the bound of the whole promotion.
   */
  private PlanDocument.Promotion promotion(RolloutPlan rollout, int fleetWait) {
    int bake = Math.min(rollout.profile().bakeSeconds(), WaitBounds.MAX_TERMINATION_WAIT_SECONDS);
    return new PlanDocument.Promotion(CanaryAlarms.promotionNames(settings.managedAlarmPrefix(),
        rollout), bake, fleetWait + bake);
  }

  /**
   * The baseline's package, for its per-hardware builds (the baseline copy's fallback pools).
   * Optional: without it the copy keeps to the hardware the baseline model runs on.
   */
  private ModelPackage baselineBuilds(String arn) {
    if (arn == null) {
      return null;
    }
    try {
      return ports.registry().describePackage(ModelPackageArn.parse("baseline", arn));
    } catch (RolloutException e) {
      LOG.warn("baseline package not readable; its copy gets no per-hardware builds",
          entry("baselinePackage", arn), entry("errorType", e.getClass().getName()),
          entry("cause", e.getMessage()));
      return null;
    }
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

  /** A package by its ARN; a model outside the registry says so. */
  private static String named(Release release) {
    return release.fromRegistry() ? release.wire() : release.describe();
  }

  /**
   * What the request ships: the package it names (in this stack's account and Region), the model
   * it names (which must exist: refused by name before any change), else, for a migrate that
   * names neither, what the endpoint serves.
   */
  private Release requestedRelease(ExecutionRef exec, ExecutionRequest request) {
    if (request.modelPackageArn() != null) {
      requireHome(exec, request.modelPackageArn());
      return Release.of(request.modelPackageArn());
    }
    if (request.modelName() != null) {
      ModelSettings named = ports.registry().modelSettings(request.modelName()).orElseThrow(() ->
          new InvalidInputException("rollout input", "modelName", "no model named "
              + request.modelName() + " (DescribeModel); name the model endpoint "
              + request.endpointName() + " serves"));
      if (named.sourcePackageArn() != null) {
        throw new InvalidInputException("rollout input", "modelName", "model "
            + request.modelName() + " was built from model package " + named.sourcePackageArn()
            + "; migrate it by that package (modelPackageArn), or name neither");
      }
      return Release.ofModel(request.modelName());
    }
    Release served = servingRelease(request.endpointName()).release();
    if (served.fromRegistry()) {
      requireHome(exec, served.modelPackage());
    }
    return served;
  }

  /**
   * What an endpoint serves, and the model its variant runs.
   *
   * @param release the package (or the model outside the registry) it serves
   * @param runningModel the model its only variant runs (a copy of {@code release}'s model after
   *     a migrate), or null when the config has several variants
   */
  private record Served(Release release, String runningModel) {
  }

  /**
   * What an endpoint serves, for a migrate: the {@code poolshift:model-package} or
   * {@code poolshift:model} tag of its config (of the config the holder of its lock started
   * from, while a rollout runs), else the package its only variant's model was built from, else
   * that model itself when it did not come from the registry.
   */
  private Served servingRelease(String endpointName) {
    String configName = ports.store().rollout(endpointName).map(ActiveRollout::baselineConfigName)
        .orElseGet(() -> describeEndpoint(endpointName).endpointConfigName());
    EndpointConfigSpec config = ports.endpoints().describeConfig(configName);
    String running = config.productionVariants().size() == 1
        ? config.productionVariants().getFirst().modelName() : null;
    String tagged = config.tags().get(EndpointConfigSpec.MODEL_PACKAGE_TAG);
    if (tagged != null) {
      return new Served(Release.of(ModelPackageArn.parse("modelPackageArn", tagged)), running);
    }
    String taggedModel = config.tags().get(EndpointConfigSpec.MODEL_TAG);
    if (taggedModel != null) {
      return new Served(Release.parse("modelName", taggedModel), running);
    }
    if (running == null) {
      throw new InvalidInputException("rollout input", "modelPackageArn", "required for migrate"
          + " on endpoint " + endpointName + ": its config " + configName + " has "
          + config.productionVariants().size() + " variants and no "
          + EndpointConfigSpec.MODEL_PACKAGE_TAG + " tag; name the package it serves"
          + " (modelPackageArn) or, for a model that did not come from the registry, the model"
          + " (modelName)");
    }
    ModelSettings model = ports.registry().modelSettings(running).orElseThrow(() ->
        new IncompatibleEndpointException("endpoint " + endpointName + " runs model " + running
            + ", which no longer exists (DescribeModel): there is nothing to migrate; recreate it"
            + " or deploy a model package"));
    return new Served(model.sourcePackageArn() != null
        ? Release.of(ModelPackageArn.parse("modelPackageArn", model.sourcePackageArn()))
        : Release.ofModel(running), running);
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

}
