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
    return runToEnd(scenario, runtime, wallStart, RunListener.NONE);
  }

  /** {@link #runToEnd(Scenario, LocalRuntime, long)}, telling {@code listener} as the run progresses. */
  public static ScenarioReport runToEnd(Scenario scenario, LocalRuntime runtime, long wallStart, RunListener listener) {
    return finish(scenario, runtime, play(scenario, runtime), wallStart, listener);
  }

  /**
   * Runs a runtime whose timeline {@link #play} scheduled (and that a test may have driven part of
   * the way) until the timeline is done and everything has settled, or the scenario's limit; then
   * reports. Called again later, it reports the run as it is then.
   */
  public static ScenarioReport finish(Scenario scenario, LocalRuntime runtime, Playback playback, long wallStart) {
    return finish(scenario, runtime, playback, wallStart, RunListener.NONE);
  }

  /**
   * {@link #finish(Scenario, LocalRuntime, Playback, long)}, telling {@code listener} as the run
   * progresses. The listener is called from the simulation's stop condition, which the simulation
   * checks each time nothing is running (after every timer's consequences have settled): the one
   * place where the runtime can be read whole while virtual time moves.
   */
  public static ScenarioReport finish(Scenario scenario, LocalRuntime runtime, Playback playback, long wallStart,
      RunListener listener) {
    Instant limit = scenario.start().plusMillis((long) (scenario.limitSeconds() * 1000));
    TimelineFeed feed = new TimelineFeed(scenario, () -> playback.asPlayed(scenario).timeline());
    Instant[] polledAt = {null};
    boolean finished;
    try {
      finished = runtime.simulation().runUntil(() -> {
        // Timeline sources are read once per virtual instant: same-instant lines only wait for the
        // next instant, and a run checks its condition more often than time moves.
        Instant now = runtime.simulation().now();
        if (!now.equals(polledAt[0])) {
          polledAt[0] = now;
          feed.poll(runtime).forEach(listener::line);
        }
        listener.observed(runtime);
        return playback.done() && runtime.settled() && !reconcilerHasWork(runtime);
      }, limit);
    } catch (IllegalStateException e) {
      throw scenarioProblem(e).orElseThrow(() -> e);
    }
    feed.poll(runtime).forEach(listener::line);
    listener.observed(runtime);
    // Entries that waited for a workflow moment are reported at the time they ran.
    return ScenarioReport.of(playback.asPlayed(scenario), runtime, finished, (System.nanoTime() - wallStart) / 1_000_000,
        feed.lines());
  }

  /**
   * True while an endpoint is locked by an execution that has ended, unless the rollout needs a
   * person: the reconciler still has work there (a stopped execution's endpoint, a rollback whose
   * fleet waits for capacity), so the rehearsal runs on, sweeps included, until it is done or the
   * limit passes.
   */
  static boolean reconcilerHasWork(LocalRuntime runtime) {
    var table = runtime.template().tables().get("StateTable");
    if (table == null) {
      return false;
    }
    Map<String, String> phases = new HashMap<>();
    List<JsonNode> locks = new ArrayList<>();
    for (JsonNode item : runtime.dynamoDb().call("Scan", LocalJson.object().put("TableName", table.name()))
        .path("Items")) {
      String sk = item.path("sk").path("S").asText();
      if (sk.equals("LOCK")) {
        locks.add(item);
      } else if (sk.equals("ROLLOUT")) {
        phases.put(item.path("pk").path("S").asText(), item.path("phase").path("S").asText());
      }
    }
    for (JsonNode lock : locks) {
      String arn = lock.path("executionArn").path("S").asText();
      var execution = runtime.stepFunctions().executions().stream()
          .filter(e -> e.snapshot().executionArn().equals(arn)).findFirst();
      boolean ended = execution.isEmpty() || execution.get().snapshot().stopDate() != null;
      if (ended && !"needs-a-person".equals(phases.get(lock.path("pk").path("S").asText()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The timeline entry that could not be performed, when that is why an activity failed (e.g. a
   * {@code deleteAlarm} of an alarm that is gone): the scenario's problem, not the runtime's.
   */
  private static java.util.Optional<ScenarioException> scenarioProblem(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ScenarioException se) {
        return java.util.Optional.of(se);
      }
    }
    return java.util.Optional.empty();
  }

  /** Starts a runtime with the scenario's parameters and world seeded (timeline not yet played). */
  public static LocalRuntime start(Scenario scenario, LocalRuntime.Options base) {
    Map<String, String> parameters = new HashMap<>(LOCAL_PARAMETER_DEFAULTS);
    parameters.putAll(scenario.parameters());
    LocalRuntime runtime;
    try {
      runtime = LocalRuntime.start(base.withParameters(parameters).withStart(scenario.start())
          .withEvents(EventBusSettings.DEFAULT.withSeed(scenario.seed()))
          .withTraffic(traffic(scenario)));
    } catch (dev.poolshift.local.template.TemplateException e) {
      throw new ScenarioException("template", List.of(scenario.template() + ": " + e.getMessage()));
    }
    try {
      List<String> names = new ArrayList<>(TimelineFaults.checkNames(scenario, runtime));
      names.addAll(TimelineTrigger.checkNames(scenario, runtime));
      names.addAll(TimelineActions.checkNames(scenario, runtime));
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
    world.setApiLimits(scenario.sagemakerApiLimits());
    scenario.capacity().forEach((type, steps) ->
        world.setCapacity(type, steps.stream().map(s -> CapacityPoint.point(s.at(), s.available())).toList()));
    if (!scenario.quotas().isEmpty()) {
      // A declared account has a quota for every type; see SageMakerWorld.setDefaultInstanceQuota.
      world.setDefaultInstanceQuota(0);
      scenario.quotas().forEach(world::setInstanceQuota);
    }
    List<String> worldProblems = new ArrayList<>();
    for (int g = 0; g < scenario.modelPackageGroups().size(); g++) {
      Scenario.Group group = scenario.modelPackageGroups().get(g);
      try {
        world.seedModelPackageGroup(group.name());
        for (Scenario.Version v : group.versions()) {
          world.seedModelPackageVersion(group.name(), v.approval(), v.image(), v.additionalInferenceSpecifications());
        }
      } catch (IllegalArgumentException e) {
        // SageMaker refused what the scenario declares: the message is its error code and text.
        worldProblems.add("world.modelPackageGroups[" + g + "] (" + group.name() + "): " + e.getMessage());
      }
    }
    if (!worldProblems.isEmpty()) {
      throw new ScenarioException("world.modelPackageGroups", worldProblems);
    }
    for (int i = 0; i < scenario.endpoints().size(); i++) {
      Scenario.Endpoint endpoint = scenario.endpoints().get(i);
      try {
        seedEndpoint(runtime, world, endpoint);
      } catch (IllegalArgumentException e) {
        worldProblems.add("world.endpoints[" + i + "] (" + endpoint.name() + "): " + e.getMessage());
      }
    }
    if (!worldProblems.isEmpty()) {
      throw new ScenarioException("world.endpoints", worldProblems);
    }
    seedAlarmsAndProfiles(scenario, runtime);
  }

  private static void seedEndpoint(LocalRuntime runtime, SageMakerWorld world, Scenario.Endpoint endpoint) {
    ObjectNode config = endpoint.configExtras().deepCopy();
    config.put("EndpointConfigName", endpoint.configName());
    ArrayNode variants = config.putArray("ProductionVariants");
    for (Scenario.Variant v : endpoint.variants()) {
      String packageArn = v.modelPackage() == null ? null : packageArn(runtime, v.modelPackage());
      String modelName = modelNameOf(endpoint, v);
      ObjectNode createModel = v.model().deepCopy();
      createModel.put("ModelName", modelName);
      ObjectNode container = createModel.has("PrimaryContainer") ? (ObjectNode) createModel.get("PrimaryContainer")
          : createModel.putObject("PrimaryContainer");
      if (v.modelPackage() != null) {
        container.put("ModelPackageName", packageArn(runtime, v.modelPackage()));
      }
      createModel.put("ExecutionRoleArn", world.defaultExecutionRoleArn());
      world.seedModel(createModel);
      ObjectNode variant = v.extras().deepCopy();
      variant.put("VariantName", v.variantName());
      if (v.inferenceComponent() == null) {
        variant.put("ModelName", modelName);
      } else {
        // An inference-component variant names no model; the config carries the role (the
        // scenario's own under "config", else the one seeded models run with).
        if (!config.hasNonNull("ExecutionRoleArn")) {
          config.put("ExecutionRoleArn", world.defaultExecutionRoleArn());
        }
      }
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
    for (Scenario.Variant v : endpoint.variants()) {
      Scenario.InferenceComponent c = v.inferenceComponent();
      if (c == null) {
        continue;
      }
      ObjectNode create = LocalJson.object().put("InferenceComponentName", c.name())
          .put("EndpointName", endpoint.name()).put("VariantName", v.variantName());
      create.putObject("Specification").put("ModelName", modelNameOf(endpoint, v))
          .set("ComputeResourceRequirements", c.computeResourceRequirements().deepCopy());
      create.putObject("RuntimeConfig").put("CopyCount", c.copies());
      world.seedInferenceComponent(create);
    }
    seedAutoscaling(runtime, endpoint);
  }

  /** The model a seeded variant (or its inference component) runs. */
  private static String modelNameOf(Scenario.Endpoint endpoint, Scenario.Variant v) {
    String modelName = v.modelName() != null ? v.modelName()
        : (endpoint.name() + "-" + (v.modelPackage() == null ? "" : v.modelPackage().replace('/', '-') + "-")
            + v.variantName()).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return modelName.length() > 63 ? modelName.substring(0, 63) : modelName;
  }

  private static void seedAlarmsAndProfiles(Scenario scenario, LocalRuntime runtime) {
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
    scenario.profiles().forEach((group, profile) -> {
      ObjectNode stored = profile.deepCopy();
      stored.remove("$schema");
      runtime.ssm().put(profileParameter(runtime, group), LocalJson.write(stored));
    });
  }

  /** The SSM parameter the functions read {@code group}'s deployment profile from. */
  static String profileParameter(LocalRuntime runtime, String group) {
    String prefix = String.valueOf(runtime.template().parameters().getOrDefault(PROFILE_PREFIX_PARAMETER, DEFAULT_PROFILE_PREFIX));
    return prefix + "/" + group;
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

  /**
   * The scenario's timeline, scheduled on the virtual clock. It is done when every entry at a fixed
   * time has run and every entry whose workflow moment came has run too; an entry whose moment has
   * not come does not hold it open (its moment may never come).
   */
  public static final class Playback {
    private final Scenario scenario;
    private final LocalRuntime runtime;
    private final AtomicInteger remaining = new AtomicInteger();
    private final List<Ran> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    private TimelineTriggers triggers;

    /** A timeline entry that has run, and when. */
    public record Ran(Scenario.Event event, Instant at) {}

    Playback(Scenario scenario, LocalRuntime runtime) {
      this.scenario = scenario;
      this.runtime = runtime;
    }

    public boolean done() {
      return remaining.get() == 0;
    }

    /** The entries that have run so far, in the order they ran. */
    public List<Ran> ran() {
      return List.copyOf(ran);
    }

    /** Entries still waiting for their workflow moment. */
    public List<Scenario.Event> waiting() {
      return triggers == null ? List.of() : triggers.waiting();
    }

    /**
     * The scenario with its entries as played: those waiting for a moment appear at the time they
     * ran (left out while their moment has not come).
     */
    public Scenario asPlayed(Scenario s) {
      List<Scenario.Event> entries = new ArrayList<>();
      s.timeline().stream().filter(e -> e.when() == null).forEach(entries::add);
      for (Ran r : ran) {
        Scenario.Event e = r.event();
        if (e.when() != null) {
          double at = Duration.between(s.start(), r.at()).toNanos() / 1e9;
          entries.add(new Scenario.Event(at, e.action(), e.spec(), e.index(), e.when()));
        }
      }
      entries.sort(java.util.Comparator.comparingDouble(Scenario.Event::at));
      return s.withTimeline(entries);
    }

    /** Runs {@code event} at {@code at} (at once if that has passed); done() waits for it. */
    void schedule(Scenario.Event event, Instant at) {
      remaining.incrementAndGet();
      String label = event.when() == null ? "@" + event.at() : "when " + event.when().describe();
      runtime.simulation().at(at, "timeline " + event.action() + " " + label, () -> {
        try {
          ran.add(new Ran(event, runtime.simulation().now()));
          perform(scenario, runtime, event);
        } catch (ScenarioException e) {
          throw e;
        } catch (RuntimeException e) {
          // Named for the entry, so the person who wrote it sees which one the world refused.
          throw new ScenarioException("timeline[" + event.index() + "]", List.of(event.action() + " "
              + (event.when() == null ? "at " + event.at() + " s" : label) + ": " + (e.getMessage() == null ? e.toString() : e.getMessage())));
        } finally {
          remaining.decrementAndGet();
        }
      });
    }
  }

  /** Schedules every timeline event; returns a handle that says when all have happened. */
  public static Playback play(Scenario scenario, LocalRuntime runtime) {
    Playback playback = new Playback(scenario, runtime);
    for (Scenario.Event event : scenario.timeline()) {
      if (event.when() == null) {
        playback.schedule(event, scenario.start().plusMillis(Math.round(event.at() * 1000)));
      }
    }
    // Entries waiting for a workflow moment are scheduled when it comes.
    playback.triggers = TimelineTriggers.arm(scenario, runtime, playback::schedule);
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
      case "traffic", "capacity", "deleteEndpoint", "updateEndpointTags", "removeTag", "deleteAlarm", "putAlarm",
          "editAlarm", "editProfile" -> TimelineActions.perform(scenario, runtime, event);
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
