package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.cloudwatch.TrafficScenario;
import dev.poolshift.local.events.EventBusSettings;
import dev.poolshift.local.iam.Iam;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.CapacityPoint;
import dev.poolshift.local.sagemaker.SageMakerTimings;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import dev.poolshift.local.template.StateMachineDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link Scenario} on a fresh {@link LocalRuntime}: seeds the world, plays the timeline on
 * the virtual clock and runs until every execution has ended and nothing is left in motion.
 */
public final class ScenarioRunner {
  /** The template parameter naming where profiles live, and its default. */
  static final String PROFILE_PREFIX_PARAMETER = "ProfileParameterPrefix";
  static final String DEFAULT_PROFILE_PREFIX = "/poolshift/profiles";
  /**
   * Template parameters a scenario need not set: the account-specific ones get local defaults.
   * The role is the one the sample profiles (events/profiles/) name, because the stack lets
   * functions pass only this role to SageMaker: a plan flags a profile naming another one.
   */
  static final Map<String, String> LOCAL_PARAMETER_DEFAULTS = Map.of(
      "SageMakerExecutionRoleArn", "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution");

  private ScenarioRunner() {}

  /** Runs the scenario to the end and reports. The runtime is closed afterwards. */
  public static ScenarioReport run(Scenario scenario) {
    long wallStart = System.nanoTime();
    try (LocalRuntime runtime = start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      return runToEnd(scenario, runtime, wallStart);
    }
  }

  /**
   * Plays the timeline on a runtime from {@link #start} and runs until it has settled (or the
   * scenario's limit); the runtime stays open for inspection. {@code wallStart} is a
   * {@link System#nanoTime()} reading the report's {@code wallMillis} counts from.
   */
  public static ScenarioReport runToEnd(Scenario scenario, LocalRuntime runtime, long wallStart) {
    return finish(scenario, runtime, play(scenario, runtime), wallStart);
  }

  /**
   * Runs a runtime whose timeline {@link #play} scheduled (and that a test may have driven part of
   * the way) until the timeline is done and everything has settled, or the scenario's limit; then
   * reports. Called again later, it reports the run as it is then.
   */
  public static ScenarioReport finish(Scenario scenario, LocalRuntime runtime, Playback playback, long wallStart) {
    Instant limit = scenario.start().plusMillis((long) (scenario.limitSeconds() * 1000));
    boolean finished = runtime.simulation().runUntil(() -> playback.done() && runtime.settled(), limit);
    return ScenarioReport.of(scenario, runtime, finished, (System.nanoTime() - wallStart) / 1_000_000);
  }

  /** Starts a runtime with the scenario's parameters and world seeded (timeline not yet played). */
  public static LocalRuntime start(Scenario scenario, LocalRuntime.Options base) {
    Map<String, String> parameters = new HashMap<>(LOCAL_PARAMETER_DEFAULTS);
    parameters.putAll(scenario.parameters());
    LocalRuntime runtime = LocalRuntime.start(base.withParameters(parameters).withStart(scenario.start())
        .withEvents(EventBusSettings.DEFAULT.withSeed(scenario.seed()))
        .withTraffic(traffic(scenario)));
    try {
      List<String> names = TimelineFaults.checkNames(scenario, runtime);
      if (!names.isEmpty()) {
        throw new ScenarioException("timeline", names);
      }
      applyIam(scenario.iam(), runtime);
      seed(scenario, runtime);
      return runtime;
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  /** The scenario's {@code iam} settings on the runtime's IAM; a denial naming no function is an error. */
  private static void applyIam(Scenario.IamSettings settings, LocalRuntime runtime) {
    runtime.iam().setMode(settings.mode().equals("report") ? Iam.Mode.REPORT : Iam.Mode.ENFORCE);
    runtime.iam().setUnknownCallers(settings.unknownCredentials().equals("reject") ? Iam.UnknownCallers.REJECT
        : Iam.UnknownCallers.ADMIN);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < settings.deny().size(); i++) {
      Scenario.Denial d = settings.deny().get(i);
      try {
        runtime.iam().deny(d.function(), d.action(), d.resource());
      } catch (IllegalArgumentException | dev.poolshift.local.iam.PolicyException e) {
        problems.add("iam.deny[" + i + "]: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException("iam", problems);
    }
  }

  /** Registers the endpoint's autoscaled variants, their policies and scheduled actions, as a person would have. */
  private static void seedAutoscaling(LocalRuntime runtime, Scenario.Endpoint endpoint) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < endpoint.variants().size(); i++) {
      Scenario.Variant v = endpoint.variants().get(i);
      Scenario.Autoscaling a = v.autoscaling();
      if (a == null) {
        continue;
      }
      String at = "world.endpoints[" + endpoint.name() + "].variants[" + i + "].autoscaling";
      ObjectNode target = LocalJson.object().put("ServiceNamespace", "sagemaker")
          .put("ResourceId", "endpoint/" + endpoint.name() + "/variant/" + v.variantName())
          .put("ScalableDimension", "sagemaker:variant:DesiredInstanceCount")
          .put("MinCapacity", a.minCapacity()).put("MaxCapacity", a.maxCapacity());
      if (a.suspendedState() != null) {
        target.set("SuspendedState", a.suspendedState());
      }
      try {
        runtime.autoScaling().seed("RegisterScalableTarget", target);
      } catch (dev.poolshift.local.aws.AwsServiceException e) {
        problems.add(at + ": " + e.code() + ": " + e.getMessage());
        continue;
      }
      for (int p = 0; p < a.policies().size(); p++) {
        try {
          runtime.autoScaling().putVariantPolicy(endpoint.name(), v.variantName(), a.policies().get(p));
        } catch (dev.poolshift.local.aws.AwsServiceException e) {
          problems.add(at + ".policies[" + p + "]: " + e.code() + ": " + e.getMessage());
        }
      }
      for (int s = 0; s < a.scheduledActions().size(); s++) {
        try {
          runtime.autoScaling().putVariantScheduledAction(endpoint.name(), v.variantName(),
              a.scheduledActions().get(s));
        } catch (dev.poolshift.local.aws.AwsServiceException e) {
          problems.add(at + ".scheduledActions[" + s + "]: " + e.code() + ": " + e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException("world.endpoints", problems);
    }
  }

  private static void seed(Scenario scenario, LocalRuntime runtime) {
    SageMakerWorld world = runtime.sageMaker();
    world.setRandomSeed(scenario.seed());
    world.setTimings(timings(scenario.timings()));
    scenario.capacity().forEach((type, steps) ->
        world.setCapacity(type, steps.stream().map(s -> CapacityPoint.point(s.at(), s.available())).toList()));
    if (!scenario.quotas().isEmpty()) {
      // A declared account has a quota for every type; see SageMakerWorld.setDefaultInstanceQuota.
      world.setDefaultInstanceQuota(0);
      scenario.quotas().forEach(world::setInstanceQuota);
    }
    for (Scenario.Group group : scenario.modelPackageGroups()) {
      world.seedModelPackageGroup(group.name());
      for (Scenario.Version v : group.versions()) {
        world.seedModelPackageVersion(group.name(), v.approval(), v.image(), v.additionalInferenceSpecifications());
      }
    }
    for (Scenario.Endpoint endpoint : scenario.endpoints()) {
      ObjectNode config = endpoint.configExtras().deepCopy();
      config.put("EndpointConfigName", endpoint.configName());
      ArrayNode variants = config.putArray("ProductionVariants");
      for (Scenario.Variant v : endpoint.variants()) {
        String packageArn = packageArn(runtime, v.modelPackage());
        String modelName = (endpoint.name() + "-" + v.modelPackage().replace('/', '-') + "-" + v.variantName())
            .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        modelName = modelName.length() > 63 ? modelName.substring(0, 63) : modelName;
        world.seedModelFromPackage(modelName, packageArn, null);
        ObjectNode variant = v.extras().deepCopy();
        variant.put("VariantName", v.variantName());
        variant.put("ModelName", modelName);
        variant.put("InitialInstanceCount", v.instanceCount());
        variant.put("InitialVariantWeight", v.weight());
        if (v.instanceType() != null) {
          variant.put("InstanceType", v.instanceType());
        } else {
          ArrayNode pools = variant.putArray("InstancePools");
          v.instancePools().forEach(p -> pools.addObject().put("InstanceType", p.instanceType()).put("Priority", p.priority()));
          variant.putObject("RoutingConfig").put("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS");
        }
        if (v.provisionTimeoutSeconds() != null) {
          variant.put("VariantInstanceProvisionTimeoutInSeconds", v.provisionTimeoutSeconds());
        }
        variants.add(variant);
      }
      world.seedEndpointConfig(config);
      world.seedEndpoint(endpoint.name(), endpoint.configName(), endpoint.tags());
      seedAutoscaling(runtime, endpoint);
    }
    List<String> alarmProblems = new ArrayList<>();
    for (int i = 0; i < scenario.alarms().size(); i++) {
      var definition = ScenarioAlarms.definition(scenario.alarms().get(i), "world.alarms[" + i + "]", alarmProblems);
      if (alarmProblems.isEmpty()) {
        try {
          runtime.cloudWatch().putMetricAlarm(definition);
        } catch (dev.poolshift.local.aws.AwsServiceException e) {
          alarmProblems.add("world.alarms[" + i + "]: " + e.code() + ": " + e.getMessage());
        }
      }
    }
    if (!alarmProblems.isEmpty()) {
      throw new ScenarioException("world.alarms", alarmProblems);
    }
    String prefix = String.valueOf(runtime.template().parameters().getOrDefault(PROFILE_PREFIX_PARAMETER, DEFAULT_PROFILE_PREFIX));
    scenario.profiles().forEach((group, profile) -> {
      ObjectNode stored = profile.deepCopy();
      stored.remove("$schema");
      runtime.ssm().put(prefix + "/" + group, LocalJson.write(stored));
    });
  }

  /**
   * The scenario's {@code traffic}: {@code endpoints.<name>.requestsPerMinute} (a number, or steps
   * {@code [{at, requestsPerMinute}]}) and {@code models.<group/version>} behaviours, optionally per
   * {@code instanceTypes.<type>}. Model versions are named like timeline entries; ARNs follow.
   */
  static TrafficScenario traffic(Scenario scenario) {
    JsonNode spec = scenario.traffic();
    if (spec == null || spec.isNull()) {
      return TrafficScenario.idle(scenario.seed());
    }
    List<String> problems = new ArrayList<>();
    spec.fieldNames().forEachRemaining(f -> {
      if (!Set.of("endpoints", "models", "defaultRequestsPerMinute").contains(f)) {
        problems.add("traffic." + f + ": unknown field");
      }
    });
    Map<String, TrafficScenario.RequestRate> rates = new HashMap<>();
    for (var it = spec.path("endpoints").fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode rpm = e.getValue().path("requestsPerMinute");
      if (rpm.isNumber()) {
        rates.put(e.getKey(), TrafficScenario.RequestRate.constant(rpm.asDouble()));
      } else if (rpm.isArray()) {
        List<TrafficScenario.RequestRate.Step> steps = new ArrayList<>();
        rpm.forEach(st -> steps.add(new TrafficScenario.RequestRate.Step(seconds(st.path("at")), st.path("requestsPerMinute").asDouble())));
        rates.put(e.getKey(), new TrafficScenario.RequestRate(steps));
      } else {
        problems.add("traffic.endpoints." + e.getKey() + ".requestsPerMinute: a number or a list of {at, requestsPerMinute}");
      }
    }
    List<TrafficScenario.ModelBehaviour> behaviours = new ArrayList<>();
    String account = dev.poolshift.local.aws.AwsContext.DEFAULT.accountId();
    for (var it = spec.path("models").fields(); it.hasNext(); ) {
      var m = it.next();
      String arn = "arn:aws:sagemaker:us-east-1:" + account + ":model-package/" + m.getKey().toLowerCase(java.util.Locale.ROOT);
      behaviours.add(behaviour(arn, null, m.getValue(), "traffic.models." + m.getKey(), problems));
      for (var types = m.getValue().path("instanceTypes").fields(); types.hasNext(); ) {
        var t = types.next();
        behaviours.add(behaviour(arn, t.getKey(), t.getValue(), "traffic.models." + m.getKey() + ".instanceTypes." + t.getKey(), problems));
      }
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException("traffic", problems);
    }
    double defaultRpm = spec.path("defaultRequestsPerMinute").asDouble(0);
    return new TrafficScenario(scenario.seed(), TrafficScenario.RequestRate.constant(defaultRpm), rates,
        TrafficScenario.ModelBehaviour.healthy(), behaviours);
  }

  private static TrafficScenario.ModelBehaviour behaviour(String arn, String type, JsonNode b, String at, List<String> problems) {
    b.fieldNames().forEachRemaining(f -> {
      if (!Set.of("error5xxRate", "error4xxRate", "latencyP50Ms", "latencyP99Ms", "instanceTypes").contains(f)) {
        problems.add(at + "." + f + ": unknown field");
      }
    });
    TrafficScenario.ModelBehaviour healthy = TrafficScenario.ModelBehaviour.healthy();
    double p50 = b.path("latencyP50Ms").asDouble(healthy.latency().p50Millis());
    double p99 = b.path("latencyP99Ms").asDouble(Math.max(p50, healthy.latency().p99Millis()));
    if (p99 < p50) {
      problems.add(at + ".latencyP99Ms: must be >= latencyP50Ms");
      p99 = p50;
    }
    return new TrafficScenario.ModelBehaviour(arn, type, b.path("error5xxRate").asDouble(0), b.path("error4xxRate").asDouble(0),
        new TrafficScenario.LatencyProfile(p50, p99));
  }

  static SageMakerTimings timings(JsonNode spec) {
    SageMakerTimings t = SageMakerTimings.DEFAULTS;
    if (spec == null || spec.isNull()) {
      return t;
    }
    List<String> problems = new ArrayList<>();
    for (var it = spec.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("instanceLaunchSeconds")) {
        for (var types = e.getValue().fields(); types.hasNext(); ) {
          var type = types.next();
          t = t.withInstanceLaunch(type.getKey(), seconds(type.getValue()));
        }
        continue;
      }
      Duration d = seconds(e.getValue());
      t = switch (e.getKey()) {
        case "gpuInstanceLaunchSeconds" -> t.withGpuInstanceLaunch(d);
        case "cpuInstanceLaunchSeconds" -> t.withCpuInstanceLaunch(d);
        case "modelStartSeconds" -> t.withModelStart(d);
        case "trafficActivationSeconds" -> t.withTrafficActivation(d);
        case "weightUpdateSeconds" -> t.withWeightUpdate(d);
        case "fleetTerminationSeconds" -> t.withFleetTermination(d);
        case "capacityRetryIntervalSeconds" -> t.withCapacityRetryInterval(d);
        case "singleTypeCapacityFailureSeconds" -> t.withSingleTypeCapacityFailure(d);
        default -> {
          problems.add("timings." + e.getKey() + ": unknown field");
          yield t;
        }
      };
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException("timings", problems);
    }
    return t;
  }

  private static Duration seconds(JsonNode n) {
    return Duration.ofMillis(Math.round(n.asDouble() * 1000));
  }

  static String packageArn(LocalRuntime runtime, String groupSlashVersion) {
    return runtime.template().aws().arn("sagemaker", "model-package/" + groupSlashVersion.toLowerCase(java.util.Locale.ROOT));
  }

  /** The scenario's timeline, scheduled on the virtual clock. */
  public static final class Playback {
    private final AtomicInteger remaining;

    Playback(int events) {
      remaining = new AtomicInteger(events);
    }

    public boolean done() {
      return remaining.get() == 0;
    }
  }

  /** Schedules every timeline event; returns a handle that says when all have happened. */
  public static Playback play(Scenario scenario, LocalRuntime runtime) {
    Playback playback = new Playback(scenario.timeline().size());
    for (Scenario.Event event : scenario.timeline()) {
      Instant at = scenario.start().plusMillis(Math.round(event.at() * 1000));
      runtime.simulation().at(at, "timeline " + event.action() + " @" + event.at(), () -> {
        try {
          perform(scenario, runtime, event);
        } finally {
          playback.remaining.decrementAndGet();
        }
      });
    }
    return playback;
  }

  private static void perform(Scenario scenario, LocalRuntime runtime, Scenario.Event event) {
    JsonNode spec = event.spec();
    switch (event.action()) {
      case "approve", "reject" -> {
        String pkg = spec.isTextual() ? spec.asText() : spec.path("modelPackage").asText();
        ObjectNode request = LocalJson.object()
            .put("ModelPackageArn", packageArn(runtime, pkg))
            .put("ModelApprovalStatus", event.action().equals("approve") ? "Approved" : "Rejected");
        if (spec.has("description")) {
          request.put("ApprovalDescription", spec.get("description").asText());
        }
        runtime.sageMaker().invoke("UpdateModelPackage", request);
      }
      case "updatePackageMetadata" -> {
        ObjectNode request = LocalJson.object().put("ModelPackageArn", packageArn(runtime, spec.path("modelPackage").asText()));
        request.set("CustomerMetadataProperties", spec.path("customerMetadataProperties"));
        runtime.sageMaker().invoke("UpdateModelPackage", request);
      }
      case "startExecution" -> {
        JsonNode input = spec.path("input");
        if (input.isTextual()) {
          input = LocalJson.read(scenario.baseDir().resolve(input.asText()));
        }
        String name = spec.hasNonNull("name") ? spec.get("name").asText() : null;
        runtime.stepFunctions().startExecution(rolloutStateMachine(runtime, spec), name, LocalJson.write(input));
      }
      case "stopExecution" -> {
        String name = spec.isTextual() ? spec.asText() : spec.path("name").asText();
        String arn = runtime.stepFunctions().executions().stream()
            .filter(e -> e.name().equals(name)).map(e -> e.arn()).findFirst()
            .orElseThrow(() -> new IllegalStateException("timeline stopExecution: no execution named " + name));
        runtime.stepFunctions().stopExecution(arn, spec.path("error").asText(null), spec.path("cause").asText(null));
      }
      case "fault", "setAlarmState" -> TimelineFaults.perform(event.action(), spec, runtime);
      default -> throw new IllegalStateException("timeline action " + event.action() + " is not available in this build");
    }
  }

  private static String rolloutStateMachine(LocalRuntime runtime, JsonNode spec) {
    if (spec.hasNonNull("stateMachine")) {
      return runtime.stateMachineArn(spec.get("stateMachine").asText());
    }
    StateMachineDef only = runtime.template().stateMachines().values().iterator().next();
    return only.arn();
  }

}
