package dev.poolshift.rollout.usecase.steps;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.FieldError;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.component.ComponentPlan;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.plan.ComponentPlanner;
import dev.poolshift.rollout.plan.ConfigRules;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.plan.PlanReview;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan of a rollout on an inference-component endpoint: reads the components on the
 * endpoint (List, Describe), the model the first one runs (its settings), and plans with
 * {@link ComponentPlanner}. Read-only.
 */
final class ComponentSteps {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentSteps.class);

  private final Settings settings;
  private final Ports ports;
  private final PlanChecks checks;

  ComponentSteps(Settings settings, Ports ports, PlanChecks checks) {
    this.settings = settings;
    this.ports = ports;
    this.checks = checks;
  }

  /**
   * @param variant the endpoint's inference-component variant ({@link
   *     ComponentPlanner#componentVariant})
   * @param notManaged the risks of an endpoint Poolshift does not manage (a dry run only)
   */
  PlanDocument plan(ExecutionRef exec, ExecutionRequest request, ModelPackage pkg,
      DeploymentProfile profile, EndpointState endpoint, EndpointConfigSpec current,
      VariantSpec variant, List<String> notManaged) {
    String endpointName = endpoint.endpointName();
    List<ComponentState> rolled = new ArrayList<>();
    List<String> untouched = new ArrayList<>();
    for (String name : ports.components().onEndpoint(endpointName)) {
      ComponentState c = ports.components().describe(name);
      if (variant.variantName().equals(c.variantName()) && runsGroup(c, pkg.groupName())) {
        rolled.add(c);
      } else {
        untouched.add(name);
      }
    }
    ModelSettings baselineModel = rolled.isEmpty() ? null : baselineModel(rolled.getFirst());
    ComponentPlanner.Planned planned = ComponentPlanner.plan(new ComponentPlanner.Request(
        exec.name(), pkg, profile, endpoint, current, variant, rolled, untouched, baselineModel,
        settings.managedAlarmPrefix()));
    ComponentPlan components = planned.plan();
    List<String> poolTypes = components.pools().stream()
        .sorted(Comparator.comparingInt(InstancePool::priority))
        .map(InstancePool::instanceType).toList();
    checks.requireAllowed(request, pkg.groupName(), poolTypes);
    List<FieldError> broken = components.pooledConfig() == null ? List.of()
        : ConfigRules.check(components.pooledConfig());
    if (!broken.isEmpty() && !request.dryRun()) {
      throw new IncompatibleEndpointException("the endpoint config this rollout would create"
          + " breaks SageMaker's rules, so nothing was changed: " + broken);
    }
    List<String> managed = planned.alarms().stream().map(AlarmSpec::name).toList();
    List<String> alarms = new ArrayList<>(managed);
    alarms.addAll(profile.gateAlarmNames());
    Map<String, String> inAlarm = checks.alarmsInAlarm(alarms);
    if (!inAlarm.isEmpty() && !request.dryRun()) {
      throw new CanaryAlarmException(inAlarm.entrySet().stream().map(e -> "alarm " + e.getKey()
          + " is already in ALARM (" + e.getValue() + ")").toList() + "; the rollout of "
          + pkg.arn() + " to " + endpointName + " was not started and nothing was changed;"
          + " start it again once the alarm is OK");
    }

    List<String> risks = new ArrayList<>(notManaged);
    broken.forEach(e -> risks.add("would be REJECTED: " + e.path() + ": " + e.message()));
    inAlarm.forEach((name, why) -> risks.add("alarm " + name + " is in ALARM now (" + why
        + "); the rollout would be refused"));
    risks.add("inference-component endpoint: no canary variant (the canary steps do not"
        + " apply); " + components.componentNames() + " move to the new version by"
        + " SageMaker's rolling update, " + components.updates().getFirst().batchPercent()
        + "% of the copies per batch, each batch baked "
        + components.updates().getFirst().waitIntervalSeconds() + " s under its auto-rollback"
        + " alarms");
    for (ComponentUpdate u : components.updates()) {
      List<String> watched = new ArrayList<>(managed.stream()
          .filter(a -> a.startsWith(settings.managedAlarmPrefix() + endpointName + "-"
              + u.inferenceComponentName() + "-")).toList());
      watched.addAll(profile.gateAlarmNames());
      List<String> cut = watched.stream().filter(a -> !u.autoRollbackAlarms().contains(a))
          .toList();
      if (!cut.isEmpty()) {
        risks.add("inference component " + u.inferenceComponentName() + ": SageMaker watches at"
            + " most 10 auto-rollback alarms; " + cut + " are read by Poolshift's gate only");
      }
    }
    if (!untouched.isEmpty()) {
      risks.add("inference components " + untouched + " run other models (or sit on another"
          + " variant) and are left as they are");
    }
    risks.add(components.pooledConfig() == null ? "endpoint config " + current.name()
        + " is kept: variant " + variant.variantName() + " already runs on pools " + poolTypes
        : "variant " + variant.variantName() + " runs on " + variant.instanceType() + ": the"
        + " endpoint moves onto " + poolTypes + " first (UpdateEndpoint to "
        + components.pooledConfig().name() + ", blue/green, SageMaker placing the components'"
        + " copies on the new fleet), then the components are updated; a rollback puts the"
        + " components back, then the endpoint on " + current.name());
    if (!request.overrides().isEmpty()) {
      risks.add("this rollout overrides the profile's " + request.overrides().fields());
    }

    PlanDocument plan = new PlanDocument(request.action(), exec.name(), endpointName,
        pkg.arn(), pkg.groupName(), pkg.version(),
        new PlanDocument.Baseline(current.name(), variant.variantName(), 1.0,
            current.tags().get(EndpointConfigSpec.MODEL_PACKAGE_TAG)),
        null, null, components.pooledConfig() == null ? current.name()
            : components.pooledConfig().name(),
        planned.models().stream().map(ModelToCreate::modelName).toList(), List.of(),
        profile.bakeSeconds(), components.waitSeconds(), 0, 0, alarms, managed,
        request.trigger(), risks, configDiff(current, variant, components), null,
        request.reason(), request.overrides().fields(), false, null, null, null, 0, null,
        List.of(), 0, components);
    LOG.info("inference-component rollout planned", entry("action", plan.action()),
        entry("components", components.componentNames()), entry("untouched", untouched),
        entry("pools", poolTypes), entry("pooledConfig", plan.finalConfigName()),
        entry("batchPercent", components.updates().getFirst().batchPercent()),
        entry("risks", risks.size()));
    return plan;
  }

  /** Whether every model the component runs was built from a package of {@code group}. */
  private boolean runsGroup(ComponentState c, String group) {
    if (c.specifications().isEmpty()) {
      return false;
    }
    for (ComponentSpecification s : c.specifications()) {
      if (s.modelName() == null) {
        return false;
      }
      Optional<String> arn = ports.registry().packageOfModel(s.modelName());
      if (arn.isEmpty()
          || !ModelPackageArn.parse("packageOfModel", arn.get()).group().equals(group)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The settings of the model the component runs, which the new models keep; refused when the
   * model is gone, as for a model-based variant.
   */
  private ModelSettings baselineModel(ComponentState c) {
    String model = c.specifications().getFirst().modelName();
    return ports.registry().modelSettings(model).orElseThrow(() ->
        new IncompatibleEndpointException("inference component " + c.name() + " runs model "
            + model + ", which no longer exists (DescribeModel): its settings cannot be carried"
            + " over to the new models"));
  }

  /** The pools the config gains and, per component, the models each type runs before and after. */
  private static List<PlanReview.ConfigChange> configDiff(EndpointConfigSpec current,
      VariantSpec variant, ComponentPlan components) {
    List<PlanReview.ConfigChange> diff = new ArrayList<>();
    if (components.pooledConfig() != null) {
      String v = "ProductionVariants[" + variant.variantName() + "].";
      VariantSpec after = components.pooledConfig().variant(variant.variantName());
      diff.add(new PlanReview.ConfigChange(v + "InstanceType", variant.instanceType(),
          after.instanceType()));
      diff.add(new PlanReview.ConfigChange(v + "InstancePools", variant.instancePools().stream()
          .map(p -> p.priority() + ":" + p.instanceType()).toList(), after.instancePools()
              .stream().map(p -> p.priority() + ":" + p.instanceType()).toList()));
      diff.add(new PlanReview.ConfigChange("EndpointConfigName", current.name(),
          components.pooledConfig().name()));
    }
    for (int i = 0; i < components.updates().size(); i++) {
      ComponentUpdate next = components.updates().get(i);
      ComponentUpdate now = components.restores().get(i);
      diff.add(new PlanReview.ConfigChange("InferenceComponents["
          + next.inferenceComponentName() + "].Specifications", models(now), models(next)));
    }
    return diff;
  }

  private static List<String> models(ComponentUpdate u) {
    return u.specifications().stream().map(s -> (s.instanceType() == null ? "every type"
        : s.instanceType()) + ": " + s.modelName()).toList();
  }
}
