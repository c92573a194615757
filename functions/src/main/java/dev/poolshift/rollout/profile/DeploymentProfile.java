package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.SageMakerNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a model package group is deployed: which endpoint, onto which ranked instance pools, in
 * which canary steps, judged by which gates. Stored as JSON in SSM Parameter Store under
 * {@code /poolshift/profiles/<group>} (schema: {@code schemas/deployment-profile.schema.json});
 * {@link ProfileParser} reads it. The constructor enforces every rule, so a hand-built profile is
 * as valid as a parsed one.
 *
 * @param description free text for operators (optional)
 * @param endpointName the endpoint the group's approved versions go to
 * @param variantName the production variant to replace; null = the endpoint's only variant
 * @param executionRoleArn the role SageMaker assumes for the new models (CreateModel)
 * @param instancePools ranked pools, at most 5, sorted by priority (1 = preferred)
 * @param provisionTimeoutSeconds VariantInstanceProvisionTimeoutInSeconds, 300–3600
 * @param overrideExistingPools when the endpoint is already on pools: false keeps its pools and
 *     timeout (only the models change), true replaces them with this profile's
 * @param keepCurrentTypeFirst keep the endpoint's current instance type at priority 1
 * @param instanceCount instances for the new variant; null = keep the current count
 * @param canarySteps canary traffic percentages, strictly increasing, ending at 100
 * @param bakeSeconds time each step is watched under alarms before its verdict
 * @param minInvocationsPerStep invocations the canary must serve in a step before it may pass
 * @param maxWaitForInvocationsSeconds how long after the bake to wait for those invocations
 * @param thresholds 5xx rate and optional p99 latency limits
 * @param gateAlarmNames extra CloudWatch alarms that must be OK for a step to pass
 * @param concurrencyPolicy what a second approval for a busy endpoint does
 * @param queueWaitSeconds how long a second rollout waits for the endpoint under the
 *     {@code queue} and {@code supersede} policies before it gives up (rejected, nothing changed)
 * @param fallbackPolicy whether a rollout may continue on lower-priority hardware
 * @param enhancedMetrics publish endpoint metrics every 10 s (MetricsConfig)
 * @param routingStrategy the {@code RoutingConfig.RoutingStrategy} the variant gets on the pools
 *     ({@code LEAST_OUTSTANDING_REQUESTS}, {@code RANDOM}, {@code PREFIX_AWARE}); null keeps the
 *     variant's own routing (least outstanding requests when it sets none)
 * @param weightedAutoscaling opt-in: after promotion the variant scales on a utilization
 *     weighted by each instance type's capacity; null leaves its scaling as it is
 */
public record DeploymentProfile(
    String description,
    String endpointName,
    String variantName,
    String executionRoleArn,
    List<PoolPreference> instancePools,
    int provisionTimeoutSeconds,
    boolean overrideExistingPools,
    boolean keepCurrentTypeFirst,
    Integer instanceCount,
    List<Integer> canarySteps,
    int bakeSeconds,
    long minInvocationsPerStep,
    int maxWaitForInvocationsSeconds,
    Thresholds thresholds,
    List<String> gateAlarmNames,
    ConcurrencyPolicy concurrencyPolicy,
    int queueWaitSeconds,
    FallbackPolicy fallbackPolicy,
    boolean enhancedMetrics,
    String routingStrategy,
    WeightedAutoscaling weightedAutoscaling) {

  /** The routing strategies SageMaker accepts in {@code RoutingConfig.RoutingStrategy}. */
  public static final List<String> ROUTING_STRATEGIES =
      List.of("LEAST_OUTSTANDING_REQUESTS", "RANDOM", "PREFIX_AWARE");

  public static final int MAX_POOLS = 5;
  public static final int MIN_PROVISION_TIMEOUT = 300;
  public static final int MAX_PROVISION_TIMEOUT = 3600;
  public static final int DEFAULT_PROVISION_TIMEOUT = 1200;
  public static final List<Integer> DEFAULT_CANARY_STEPS = List.of(10, 50, 100);
  public static final int MAX_CANARY_STEPS = 10;
  public static final int DEFAULT_BAKE_SECONDS = 600;
  public static final int MIN_BAKE_SECONDS = 60;
  public static final int MAX_BAKE_SECONDS = 86_400;
  /**
   * A rollout with three 10-minute bakes, two fleets of large GPU instances and an hour's hold
   * for a person fits in four hours; longer means the holder is stuck and a person should look.
   */
  public static final int DEFAULT_QUEUE_WAIT_SECONDS = 14_400;
  public static final int MIN_QUEUE_WAIT_SECONDS = 60;
  public static final int MAX_QUEUE_WAIT_SECONDS = 86_400;
  public static final long DEFAULT_MIN_INVOCATIONS = 100;
  public static final int DEFAULT_MAX_WAIT_FOR_INVOCATIONS = 1800;
  public static final int MAX_GATE_ALARMS = 10;
  public static final String CANARY_STEPS_RULE =
      "must be strictly increasing, within (0,100], ending at 100";

  static final Pattern ROLE_ARN = Pattern.compile(
      "arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");

  public DeploymentProfile {
    thresholds = thresholds == null ? Thresholds.defaults() : thresholds;
    gateAlarmNames = gateAlarmNames == null ? List.of() : gateAlarmNames;
    concurrencyPolicy = concurrencyPolicy == null ? ConcurrencyPolicy.QUEUE : concurrencyPolicy;
    fallbackPolicy = fallbackPolicy == null ? FallbackPolicy.PROCEED : fallbackPolicy;
    FieldErrors errors = new FieldErrors();
    checkDescription(errors, description);
    SageMakerNames.checkName(errors, "endpointName", endpointName);
    if (variantName != null) {
      SageMakerNames.checkName(errors, "variantName", variantName);
    }
    checkRoleArn(errors, executionRoleArn);
    checkPools(errors, instancePools);
    checkRange(errors, "provisionTimeoutSeconds", provisionTimeoutSeconds,
        MIN_PROVISION_TIMEOUT, MAX_PROVISION_TIMEOUT);
    if (instanceCount != null) {
      checkRange(errors, "instanceCount", instanceCount, 1, 1000);
    }
    checkCanarySteps(errors, canarySteps);
    checkRange(errors, "bakeSeconds", bakeSeconds, MIN_BAKE_SECONDS, MAX_BAKE_SECONDS);
    checkRange(errors, "minInvocationsPerStep", minInvocationsPerStep, 1, 1_000_000_000);
    checkRange(errors, "maxWaitForInvocationsSeconds", maxWaitForInvocationsSeconds, 0, 86_400);
    checkThresholds(errors, thresholds);
    checkAlarmNames(errors, gateAlarmNames);
    checkRange(errors, "queueWaitSeconds", queueWaitSeconds, MIN_QUEUE_WAIT_SECONDS,
        MAX_QUEUE_WAIT_SECONDS);
    checkRoutingStrategy(errors, routingStrategy);
    WeightedAutoscaling.checkCoversPools(errors, weightedAutoscaling, instancePools);
    errors.throwIfAny("deployment profile");
    // Normalised only once valid: errors above name entries by the index the author wrote.
    instancePools = instancePools.stream()
        .sorted(Comparator.comparingInt(PoolPreference::priority)).toList();
    canarySteps = List.copyOf(canarySteps);
    gateAlarmNames = List.copyOf(gateAlarmNames);
  }

  /** A builder with every default filled in; the three required fields must be set. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  static void checkDescription(FieldErrors errors, String description) {
    if (description != null && description.length() > 1024) {
      errors.add("description",
          "must be at most 1024 characters (got " + description.length() + ")");
    }
  }

  static void checkRoleArn(FieldErrors errors, String arn) {
    if (arn == null) {
      errors.add("executionRoleArn", "required");
    } else if (!ROLE_ARN.matcher(arn).matches()) {
      errors.add("executionRoleArn", "must be an IAM role ARN,"
          + " arn:aws:iam::<account>:role/<name> (got " + SageMakerNames.quote(arn) + ")");
    }
  }

  public static void checkPools(FieldErrors errors, List<PoolPreference> pools) {
    if (pools == null) {
      errors.add("instancePools", "required");
      return;
    }
    if (pools.isEmpty()) {
      errors.add("instancePools", "at least 1 entry (got 0)");
    }
    if (pools.size() > MAX_POOLS) {
      errors.add("instancePools", "at most " + MAX_POOLS + " entries (got " + pools.size() + ")");
    }
    Set<Integer> priorities = new HashSet<>();
    Set<String> types = new HashSet<>();
    for (int i = 0; i < pools.size(); i++) {
      PoolPreference p = pools.get(i);
      String path = "instancePools[" + i + "]";
      if (p == null) {
        errors.add(path, "must be an object");
        continue;
      }
      SageMakerNames.checkInstanceType(errors, path + ".instanceType", p.instanceType());
      if (p.instanceType() != null && !types.add(p.instanceType())) {
        errors.add(path + ".instanceType", "duplicate value " + p.instanceType());
      }
      if (p.priority() < 1 || p.priority() > MAX_POOLS) {
        errors.add(path + ".priority", "must be 1–5 (got " + p.priority() + ")");
      } else if (!priorities.add(p.priority())) {
        errors.add(path + ".priority", "duplicate value " + p.priority());
      }
      if (p.inferenceSpecificationName() != null) {
        SageMakerNames.checkName(errors, path + ".inferenceSpecificationName",
            p.inferenceSpecificationName());
      }
    }
  }

  public static void checkCanarySteps(FieldErrors errors, List<Integer> steps) {
    if (steps == null) {
      errors.add("canarySteps", "required");
      return;
    }
    if (steps.size() > MAX_CANARY_STEPS) {
      errors.add("canarySteps",
          "at most " + MAX_CANARY_STEPS + " entries (got " + steps.size() + ")");
    }
    boolean ok = !steps.isEmpty() && steps.getLast() == 100;
    int previous = 0;
    for (Integer step : steps) {
      if (step == null || step <= previous || step > 100) {
        ok = false;
        break;
      }
      previous = step;
    }
    if (!ok) {
      errors.add("canarySteps", CANARY_STEPS_RULE);
    }
  }

  static void checkThresholds(FieldErrors errors, Thresholds t) {
    if (!(t.max5xxRate() >= 0 && t.max5xxRate() <= 1)) {
      errors.add("thresholds.max5xxRate", "must be a fraction 0–1, e.g. 0.001 for 0.1% (got "
          + t.max5xxRate() + ")");
    }
    if (t.p99LatencyMs() != null) {
      checkRange(errors, "thresholds.p99LatencyMs", t.p99LatencyMs(), 1, 600_000);
    }
  }

  static void checkAlarmNames(FieldErrors errors, List<String> names) {
    if (names.size() > MAX_GATE_ALARMS) {
      errors.add("gateAlarmNames",
          "at most " + MAX_GATE_ALARMS + " entries (got " + names.size() + ")");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String path = "gateAlarmNames[" + i + "]";
      if (name == null || name.isBlank() || name.length() > 255) {
        errors.add(path, "must be an alarm name of 1–255 characters");
      } else if (!seen.add(name)) {
        errors.add(path, "duplicate value " + name);
      }
    }
  }

  public static void checkRoutingStrategy(FieldErrors errors, String routingStrategy) {
    if (routingStrategy != null && !ROUTING_STRATEGIES.contains(routingStrategy)) {
      errors.add("routingStrategy", "must be one of " + ROUTING_STRATEGIES + " (got "
          + SageMakerNames.quote(routingStrategy) + ")");
    }
  }

  public static void checkRange(FieldErrors errors, String path, long value, long min, long max) {
    if (value < min || value > max) {
      errors.add(path, "must be " + min + "–" + max + " (got " + value + ")");
    }
  }

  /** Fluent construction with the documented defaults; {@link #build()} validates. */
  public static final class Builder {
    private String description;
    private String endpointName;
    private String variantName;
    private String executionRoleArn;
    private List<PoolPreference> instancePools = new ArrayList<>();
    private int provisionTimeoutSeconds = DEFAULT_PROVISION_TIMEOUT;
    private boolean overrideExistingPools;
    private boolean keepCurrentTypeFirst = true;
    private Integer instanceCount;
    private List<Integer> canarySteps = DEFAULT_CANARY_STEPS;
    private int bakeSeconds = DEFAULT_BAKE_SECONDS;
    private long minInvocationsPerStep = DEFAULT_MIN_INVOCATIONS;
    private int maxWaitForInvocationsSeconds = DEFAULT_MAX_WAIT_FOR_INVOCATIONS;
    private Thresholds thresholds = Thresholds.defaults();
    private List<String> gateAlarmNames = List.of();
    private ConcurrencyPolicy concurrencyPolicy = ConcurrencyPolicy.QUEUE;
    private int queueWaitSeconds = DEFAULT_QUEUE_WAIT_SECONDS;
    private FallbackPolicy fallbackPolicy = FallbackPolicy.PROCEED;
    private boolean enhancedMetrics;
    private String routingStrategy;
    private WeightedAutoscaling weightedAutoscaling;

    private Builder() {}

    private Builder(DeploymentProfile p) {
      description = p.description;
      endpointName = p.endpointName;
      variantName = p.variantName;
      executionRoleArn = p.executionRoleArn;
      instancePools = new ArrayList<>(p.instancePools);
      provisionTimeoutSeconds = p.provisionTimeoutSeconds;
      overrideExistingPools = p.overrideExistingPools;
      keepCurrentTypeFirst = p.keepCurrentTypeFirst;
      instanceCount = p.instanceCount;
      canarySteps = p.canarySteps;
      bakeSeconds = p.bakeSeconds;
      minInvocationsPerStep = p.minInvocationsPerStep;
      maxWaitForInvocationsSeconds = p.maxWaitForInvocationsSeconds;
      thresholds = p.thresholds;
      gateAlarmNames = p.gateAlarmNames;
      concurrencyPolicy = p.concurrencyPolicy;
      queueWaitSeconds = p.queueWaitSeconds;
      fallbackPolicy = p.fallbackPolicy;
      enhancedMetrics = p.enhancedMetrics;
      routingStrategy = p.routingStrategy;
      weightedAutoscaling = p.weightedAutoscaling;
    }

    public Builder description(String v) {
      description = v;
      return this;
    }

    public Builder endpointName(String v) {
      endpointName = v;
      return this;
    }

    public Builder variantName(String v) {
      variantName = v;
      return this;
    }

    public Builder executionRoleArn(String v) {
      executionRoleArn = v;
      return this;
    }

    public Builder instancePools(List<PoolPreference> v) {
      instancePools = new ArrayList<>(v);
      return this;
    }

    /** Appends a pool at the next priority. */
    public Builder pool(String instanceType) {
      instancePools.add(new PoolPreference(instanceType, instancePools.size() + 1, null));
      return this;
    }

    /** Appends a pool at the next priority, served by a per-pool build of the model. */
    public Builder pool(String instanceType, String inferenceSpecificationName) {
      instancePools.add(new PoolPreference(instanceType, instancePools.size() + 1,
          inferenceSpecificationName));
      return this;
    }

    public Builder provisionTimeoutSeconds(int v) {
      provisionTimeoutSeconds = v;
      return this;
    }

    public Builder overrideExistingPools(boolean v) {
      overrideExistingPools = v;
      return this;
    }

    public Builder keepCurrentTypeFirst(boolean v) {
      keepCurrentTypeFirst = v;
      return this;
    }

    public Builder instanceCount(Integer v) {
      instanceCount = v;
      return this;
    }

    public Builder canarySteps(List<Integer> v) {
      canarySteps = v;
      return this;
    }

    public Builder bakeSeconds(int v) {
      bakeSeconds = v;
      return this;
    }

    public Builder minInvocationsPerStep(long v) {
      minInvocationsPerStep = v;
      return this;
    }

    public Builder maxWaitForInvocationsSeconds(int v) {
      maxWaitForInvocationsSeconds = v;
      return this;
    }

    public Builder thresholds(Thresholds v) {
      thresholds = v;
      return this;
    }

    public Builder gateAlarmNames(List<String> v) {
      gateAlarmNames = v;
      return this;
    }

    public Builder concurrencyPolicy(ConcurrencyPolicy v) {
      concurrencyPolicy = v;
      return this;
    }

    public Builder queueWaitSeconds(int v) {
      queueWaitSeconds = v;
      return this;
    }

    public Builder fallbackPolicy(FallbackPolicy v) {
      fallbackPolicy = v;
      return this;
    }

    public Builder enhancedMetrics(boolean v) {
      enhancedMetrics = v;
      return this;
    }

    public Builder routingStrategy(String v) {
      routingStrategy = v;
      return this;
    }

    public Builder weightedAutoscaling(WeightedAutoscaling v) {
      weightedAutoscaling = v;
      return this;
    }

    public DeploymentProfile build() {
      return new DeploymentProfile(description, endpointName, variantName, executionRoleArn,
          instancePools, provisionTimeoutSeconds, overrideExistingPools, keepCurrentTypeFirst,
          instanceCount, canarySteps, bakeSeconds, minInvocationsPerStep,
          maxWaitForInvocationsSeconds, thresholds, gateAlarmNames, concurrencyPolicy,
          queueWaitSeconds, fallbackPolicy, enhancedMetrics, routingStrategy,
          weightedAutoscaling);
    }
  }
}
