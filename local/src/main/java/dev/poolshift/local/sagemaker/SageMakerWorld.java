package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.aws.InjectedErrors;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The simulated SageMaker control plane: registry, models, endpoint configs, endpoints with their
 * blue/green lifecycle on the virtual clock, per-instance-type capacity with instance-pool
 * fallback, and the EventBridge events SageMaker emits. {@link SageMakerService} puts it on the
 * AWS JSON 1.1 wire; this class is also the Java API scenarios and the traffic/CloudWatch model
 * use: seed state, set capacity and timings, inject faults, read state.
 *
 * <p>Thread safety: one lock guards everything. HTTP threads and timer activities take it
 * briefly and never wait on the simulation while holding it; events are published after it is
 * released, so a bus that delivers synchronously into a function that calls SageMaker again does
 * not deadlock. Read methods are safe to call from a {@code runUntil} condition.
 */
public final class SageMakerWorld {
  /** The operations that do not change state; everything else is logged as a mutation. */
  private static final Set<String> READ_PREFIXES = Set.of("Describe", "List", "Get", "Search");

  final Simulation sim;
  final AwsContext aws;
  private final EventPublisher publisher;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<ServiceEvent> outbox = new ArrayList<>();
  private final List<java.util.function.Consumer<Set<String>>> servingListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Set under the lock when something may have changed who serves an endpoint's traffic. */
  /** Endpoints whose serving may have changed under the current lock hold (by lower-case name). */
  private final Set<String> servingDirty = new java.util.LinkedHashSet<>();
  /** Something changed that may concern any endpoint. */
  private boolean allServingDirty;
  /**
   * Mutations that change no endpoint's serving: models, configs and tags are only read by the
   * endpoint operations (named by {@code EndpointName}, which mark that endpoint).
   */
  private static final Set<String> SERVING_NEUTRAL = Set.of("CreateModel", "DeleteModel", "CreateEndpointConfig",
      "DeleteEndpointConfig", "AddTags", "DeleteTags", "UpdateModelPackage", "CreateModelPackage",
      "CreateModelPackageGroup");
  final CapacityLedger ledger;
  final Tags tags = new Tags();
  final ModelRegistrySimulator registry;
  final Models models;
  final EndpointConfigs configs;
  final EndpointSimulator endpoints;
  final InferenceComponents components;
  private SageMakerTimings timings = SageMakerTimings.DEFAULTS;
  private long sequence;
  private int instanceCounter;
  private final Map<String, Integer> endpointEventCopies = new HashMap<>();
  private int modelPackageEventCopies = 1;
  private final Set<String> unhealthyModels = new HashSet<>();
  private Function<String, String> alarmStateSource;
  private ScalableVariants scalableVariants = ScalableVariants.NONE;
  private final List<ThrottleRule> throttleRules = new ArrayList<>();
  private final Map<String, Integer> throttleNext = new HashMap<>();
  private ApiLimits.Buckets apiLimits;
  private long rateLimited;
  private final Map<String, Deque<AwsServiceException>> failNext = new HashMap<>();
  private SplittableRandom random = new SplittableRandom(0x5A6E);
  private final List<SageMakerMutation> mutations = new ArrayList<>();
  /** Wire calls (reads too, throttled ones too) per operation and virtual second, for quota checks. */
  private final Map<String, java.util.TreeMap<Long, Integer>> callsPerSecond = new HashMap<>();
  /** What DescribeEndpoint showed over time, per endpoint; guarded by itself, not the world lock. */
  private final Map<String, List<EndpointMoment>> visible = new LinkedHashMap<>();

  public SageMakerWorld(Simulation sim, AwsContext aws, EventPublisher events) {
    this.sim = sim;
    this.aws = aws;
    this.publisher = events;
    this.ledger = new CapacityLedger(sim.start());
    this.registry = new ModelRegistrySimulator(this);
    this.models = new Models(this);
    this.configs = new EndpointConfigs(this);
    this.endpoints = new EndpointSimulator(this);
    this.components = new InferenceComponents(this);
    // AWS warns that one state change can produce several events; by default the terminal
    // ones arrive twice so consumers are exercised for idempotency.
    endpointEventCopies.put("IN_SERVICE", 2);
    endpointEventCopies.put("FAILED", 2);
    servingListeners.add(this::recordVisibleState);
  }

  public SageMakerWorld(Simulation sim, EventPublisher events) {
    this(sim, AwsContext.DEFAULT, events);
  }

  public Instant now() {
    return sim.now();
  }

  public AwsContext aws() {
    return aws;
  }

  // ================================================================== operations

  /**
   * Runs one SageMaker operation in-process with the wire's request and response documents, with
   * all its effects (state, timers, events) but without throttling, injected errors or the
   * mutation log: for scenario set-up and scripted actions (e.g. an operator approving a package
   * at t=60 s). Errors are thrown as {@link AwsServiceException}.
   */
  public JsonNode invoke(String operation, ObjectNode request) {
    return locked(() -> {
      markServing(operation, request);
      return dispatch(operation, request, now());
    });
  }

  /**
   * Calls {@code listener} (outside the world's lock, from whichever thread made the change) after
   * anything that may change who serves traffic: a lifecycle step, a mutating call, a seeded
   * endpoint. The CloudWatch traffic model uses it to split traffic at the exact instant.
   */
  public void onServingChange(Runnable listener) {
    servingListeners.add(changed -> listener.run());
  }

  /**
   * Like {@link #onServingChange(Runnable)}, told which endpoints (by name) may serve differently:
   * a fleet of hundreds of endpoints must not be re-read whole after each endpoint's change.
   */
  public void onServingChangeOf(java.util.function.Consumer<Set<String>> listener) {
    servingListeners.add(listener);
  }

  /** Called under the lock: what {@code operation} on {@code request} may change. */
  private void markServing(String operation, JsonNode request) {
    if (READ_PREFIXES.stream().anyMatch(operation::startsWith) || SERVING_NEUTRAL.contains(operation)) {
      return;
    }
    String endpoint = request.path("EndpointName").asText("");
    if (endpoint.isEmpty()) {
      allServingDirty = true;
    } else {
      // Names are case-insensitive: listeners hear the endpoint's own spelling.
      EndpointSimulator.Endpoint ep = endpoints.find(endpoint);
      servingDirty.add(ep == null ? endpoint : ep.name);
    }
  }

  /** The wire path: admission (throttling, injected errors), the operation, the mutation log. */
  JsonNode handleWire(String operation, ObjectNode request) {
    return locked(() -> {
      Instant now = now();
      boolean mutating = READ_PREFIXES.stream().noneMatch(operation::startsWith);
      markServing(operation, request);
      callsPerSecond.computeIfAbsent(operation, k -> new java.util.TreeMap<>()).merge(now.getEpochSecond(), 1,
          Integer::sum);
      try {
        admit(operation, now);
        JsonNode result = dispatch(operation, request, now);
        if (mutating) {
          record(operation, request, now, null);
        }
        return result;
      } catch (AwsServiceException e) {
        if (mutating) {
          record(operation, request, now, e.code());
        }
        throw e;
      }
    });
  }

  private JsonNode dispatch(String operation, ObjectNode req, Instant now) {
    return switch (operation) {
      case "CreateModelPackageGroup" -> registry.createGroup(req, now);
      case "DescribeModelPackageGroup" -> registry.describeGroup(req);
      case "ListModelPackageGroups" -> registry.listGroups(req);
      case "CreateModelPackage" -> registry.createPackage(req, now, true);
      case "DescribeModelPackage" -> registry.describePackage(req);
      case "ListModelPackages" -> registry.listPackages(req);
      case "UpdateModelPackage" -> registry.updatePackage(req, now);
      case "CreateModel" -> models.create(req, now);
      case "DescribeModel" -> models.describe(req);
      case "DeleteModel" -> models.delete(req);
      case "ListModels" -> models.list(req);
      case "CreateEndpointConfig" -> configs.create(req, now);
      case "DescribeEndpointConfig" -> configs.describe(req);
      case "DeleteEndpointConfig" -> configs.delete(req);
      case "ListEndpointConfigs" -> configs.list(req);
      case "CreateEndpoint" -> endpoints.create(req, now);
      case "UpdateEndpoint" -> endpoints.update(req, now);
      case "UpdateEndpointWeightsAndCapacities" -> endpoints.updateWeightsAndCapacities(req, now);
      case "DescribeEndpoint" -> endpoints.describe(req, now);
      case "DeleteEndpoint" -> endpoints.delete(req, now);
      case "ListEndpoints" -> endpoints.list(req);
      case "CreateInferenceComponent" -> components.create(req, now);
      case "DescribeInferenceComponent" -> components.describe(req);
      case "UpdateInferenceComponent" -> components.update(req, now);
      case "DeleteInferenceComponent" -> components.delete(req, now);
      case "ListInferenceComponents" -> components.list(req);
      case "AddTags" -> addTags(req);
      case "ListTags" -> listTags(req);
      case "DeleteTags" -> deleteTags(req);
      default -> throw new dev.poolshift.local.http.UnknownOperationException(operation);
    };
  }

  private void admit(String operation, Instant now) {
    if (apiLimits != null && !apiLimits.tryAcquire(operation, now)) {
      rateLimited++;
      throw Errors.throttling();
    }
    Integer left = throttleNext.get(operation);
    if (left != null && left > 0) {
      throttleNext.put(operation, left - 1);
      throw Errors.throttling();
    }
    for (ThrottleRule rule : throttleRules) {
      if (rule.applies(operation, now) && random.nextDouble() < rule.rate()) {
        throw Errors.throttling();
      }
    }
    Deque<AwsServiceException> queued = failNext.get(operation);
    if (queued != null && !queued.isEmpty()) {
      throw queued.poll();
    }
  }

  private void record(String operation, ObjectNode req, Instant now, String errorCode) {
    String endpoint = req.path("EndpointName").asText(null);
    String resource = null;
    for (String member : List.of("EndpointName", "EndpointConfigName", "ModelName", "ModelPackageArn",
        "ModelPackageGroupName", "ModelPackageName", "ResourceArn")) {
      if (req.hasNonNull(member)) {
        resource = req.get(member).asText();
        break;
      }
    }
    mutations.add(new SageMakerMutation(now, operation, endpoint, resource, errorCode));
  }

  /**
   * The tags of a taggable resource by ARN (any case), in the order they were added; empty when it
   * has none or does not exist. What IAM puts in the request context as {@code aws:ResourceTag}.
   */
  public Map<String, String> tagsOf(String arn) {
    return locked(() -> tags.ordered(arn));
  }

  private ObjectNode addTags(ObjectNode req) {
    String arn = requireTaggable(req);
    var added = Tags.read(req, "");
    tags.put(arn, added);
    return LocalJson.object().set("Tags", Tags.toList(added));
  }

  private ObjectNode listTags(ObjectNode req) {
    String arn = requireTaggable(req);
    List<Map.Entry<String, String>> all = new ArrayList<>(tags.ordered(arn).entrySet());
    Listing.Page<Map.Entry<String, String>> page = Listing.page(all, req, Map.Entry::getKey);
    Map<String, String> m = new LinkedHashMap<>();
    page.items().forEach(e -> m.put(e.getKey(), e.getValue()));
    ObjectNode out = LocalJson.object();
    out.set("Tags", Tags.toList(m));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode deleteTags(ObjectNode req) {
    String arn = requireTaggable(req);
    ArrayNode keys = Wire.array(req, "TagKeys", "");
    if (keys == null) {
      throw Errors.required("tagKeys");
    }
    List<String> list = new ArrayList<>();
    keys.forEach(k -> list.add(k.asText()));
    tags.removeKeys(arn, list);
    return LocalJson.object();
  }

  private String requireTaggable(ObjectNode req) {
    String arn = Wire.requiredText(req, "ResourceArn", "");
    String lower = Wire.lower(arn);
    String prefix = Wire.lower(arn(""));
    boolean exists = false;
    if (lower.startsWith(prefix) && lower.indexOf('/', prefix.length()) > 0) {
      int slash = lower.indexOf('/', prefix.length());
      String kind = lower.substring(prefix.length(), slash);
      String name = lower.substring(slash + 1);
      exists = switch (kind) {
        case "endpoint" -> endpoints.find(name) != null;
        case "endpoint-config" -> configs.find(name) != null;
        case "model" -> models.find(name) != null;
        case "model-package" -> registry.find(arn) != null;
        case "model-package-group" -> registryGroupExists(name);
        default -> false;
      };
    }
    if (!exists) {
      throw Errors.validation("Resource " + arn + " does not exist or is not a taggable SageMaker resource.");
    }
    return arn;
  }

  private boolean registryGroupExists(String name) {
    try {
      registry.describeGroup(LocalJson.object().put("ModelPackageGroupName", name));
      return true;
    } catch (AwsServiceException e) {
      return false;
    }
  }

  // ================================================================== seeding

  /** Creates a model package group; returns its ARN. */
  public String seedModelPackageGroup(String name) {
    return invokeQuietly(() -> registry.createGroup(LocalJson.object().put("ModelPackageGroupName", name), now()))
        .get("ModelPackageGroupArn").asText();
  }

  /**
   * Registers a model package from a {@code CreateModelPackage} request document (set {@code
   * ModelApprovalStatus} there), without emitting an event: it is history, not news. Returns the
   * package ARN.
   */
  public String seedModelPackage(ObjectNode createModelPackageRequest) {
    return invokeQuietly(() -> registry.createPackage(createModelPackageRequest, now(), false))
        .get("ModelPackageArn").asText();
  }

  /**
   * Registers the next version in {@code group} (created if missing) with one container image and
   * optional additional inference specifications (name → image). Returns the package ARN.
   */
  public String seedModelPackageVersion(String group, String approvalStatus, String image,
      Map<String, String> additionalSpecImages) {
    return locked(() -> {
      if (!registryGroupExists(group)) {
        seedModelPackageGroup(group);
      }
      ObjectNode req = LocalJson.object();
      req.put("ModelPackageGroupName", group);
      req.put("ModelApprovalStatus", approvalStatus);
      ObjectNode spec = req.putObject("InferenceSpecification");
      spec.putArray("Containers").addObject().put("Image", image);
      spec.putArray("SupportedContentTypes").add("application/json");
      spec.putArray("SupportedResponseMIMETypes").add("application/json");
      if (!additionalSpecImages.isEmpty()) {
        ArrayNode extra = req.putArray("AdditionalInferenceSpecifications");
        additionalSpecImages.forEach((name, img) -> {
          ObjectNode s = extra.addObject().put("Name", name);
          s.putArray("Containers").addObject().put("Image", img);
        });
      }
      return seedModelPackage(req);
    });
  }

  /** Creates a model from a {@code CreateModel} request document; returns its ARN. */
  public String seedModel(ObjectNode createModelRequest) {
    return invokeQuietly(() -> models.create(createModelRequest, now())).get("ModelArn").asText();
  }

  /**
   * Creates a model from a registry version (optionally one of its additional inference
   * specifications), with a default execution role. Returns the model ARN.
   */
  public String seedModelFromPackage(String modelName, String modelPackageArn, String inferenceSpecificationName) {
    ObjectNode req = LocalJson.object().put("ModelName", modelName);
    ObjectNode c = req.putObject("PrimaryContainer").put("ModelPackageName", modelPackageArn);
    if (inferenceSpecificationName != null) {
      c.put("InferenceSpecificationName", inferenceSpecificationName);
    }
    req.put("ExecutionRoleArn", defaultExecutionRoleArn());
    return seedModel(req);
  }

  /**
   * Creates an inference component from a {@code CreateInferenceComponent} request document,
   * already InService with all its copies placed; returns its ARN.
   */
  public String seedInferenceComponent(ObjectNode createInferenceComponentRequest) {
    return invokeQuietly(() -> components.seed(createInferenceComponentRequest, now()))
        .get("InferenceComponentArn").asText();
  }

  /** The serving inference components of an endpoint (none for a model-based endpoint). */
  public List<ComponentView> componentsOn(String endpointName) {
    return locked(() -> components.views(endpointName));
  }

  /** The execution role seeded models run with. */
  public String defaultExecutionRoleArn() {
    return "arn:" + aws.partition() + ":iam::" + aws.accountId() + ":role/poolshift-sagemaker-execution";
  }

  /** Creates an endpoint config from a {@code CreateEndpointConfig} request document; returns its ARN. */
  public String seedEndpointConfig(ObjectNode createEndpointConfigRequest) {
    return invokeQuietly(() -> configs.create(createEndpointConfigRequest, now())).get("EndpointConfigArn").asText();
  }

  /**
   * An endpoint already {@code InService} on {@code endpointConfigName}, its instances placed at
   * once (pools in priority order) within the current capacity; no events. Throws
   * {@link IllegalArgumentException} when the capacity cannot hold it.
   */
  public String seedEndpoint(String endpointName, String endpointConfigName, Map<String, String> endpointTags) {
    locked(() -> {
      endpoints.seedInService(endpointName, endpointConfigName, endpointTags, now());
      servingDirty.add(endpointName);
      return null;
    });
    return endpoints.arnOf(endpointName);
  }

  public String seedEndpoint(String endpointName, String endpointConfigName) {
    return seedEndpoint(endpointName, endpointConfigName, Map.of());
  }

  private JsonNode invokeQuietly(Supplier<JsonNode> body) {
    try {
      return locked(body);
    } catch (AwsServiceException e) {
      throw new IllegalArgumentException(e.code() + ": " + e.getMessage(), e);
    }
  }

  // ================================================================== capacity and timings

  /**
   * From each point's time (seconds after the simulation start) on, {@code count} instances of
   * the type are obtainable in total; before the first point, none. Types without a timeline are
   * unlimited.
   */
  public void setCapacity(String instanceType, List<CapacityPoint> timeline) {
    locked(() -> {
      ledger.setTimeline(instanceType, timeline);
      return null;
    });
  }

  /** Makes the type unlimited again. */
  public void clearCapacity(String instanceType) {
    locked(() -> {
      ledger.clearTimeline(instanceType);
      return null;
    });
  }

  /** The account's endpoint-usage quota for a type ({@code ResourceLimitExceeded} above it); null = none. */
  public void setInstanceQuota(String instanceType, Integer quota) {
    locked(() -> {
      ledger.setQuota(instanceType, quota);
      return null;
    });
  }

  /**
   * The quota of every type without one of its own ({@link #setInstanceQuota}); null (the
   * default) leaves such types unlimited. A scenario that declares quotas sets 0: an account's
   * default "for endpoint usage" quota is 0 for many instance types (the large GPUs especially),
   * and we cannot know AWS's per-type defaults, so the harsher reading applies.
   */
  public void setDefaultInstanceQuota(Integer quota) {
    locked(() -> {
      ledger.setDefaultQuota(quota);
      return null;
    });
  }

  /** The endpoint-usage quota SageMaker enforces for the type now; null = none (unlimited). */
  public Integer instanceQuota(String instanceType) {
    return locked(() -> ledger.quota(instanceType));
  }

  /** The quotas set type by type, without the default. */
  public Map<String, Integer> instanceQuotas() {
    return locked(ledger::quotas);
  }

  /** The quota of types without their own; null = unlimited. */
  public Integer defaultInstanceQuota() {
    return locked(ledger::defaultQuota);
  }

  /** Instances of the type we could launch now ({@link Integer#MAX_VALUE} = unlimited). */
  public int availableCapacity(String instanceType) {
    return locked(() -> ledger.available(instanceType, now()));
  }

  /** Instances of the type this account holds now (launching, running or terminating). */
  public int heldInstances(String instanceType) {
    return locked(() -> ledger.held(instanceType));
  }

  public SageMakerTimings timings() {
    return locked(() -> timings);
  }

  /** Applies to operations that start from now on. */
  public void setTimings(SageMakerTimings timings) {
    locked(() -> {
      this.timings = java.util.Objects.requireNonNull(timings);
      return null;
    });
  }

  // ================================================================== faults

  /** The next Create/UpdateEndpoint of the endpoint fails its container health check. */
  public void failNextDeploymentHealthCheck(String endpointName) {
    fault(endpointName, EndpointSimulator.Fault.HEALTH_CHECK);
  }

  /** The next UpdateEndpoint provisions, then silently returns to the old config (no FailureReason). */
  public void rollBackNextUpdateSilently(String endpointName) {
    fault(endpointName, EndpointSimulator.Fault.SILENT_ROLLBACK);
  }

  /** The next UpdateEndpoint ends {@code UpdateRollbackFailed}, serving old and new instances. */
  public void failNextUpdateRollback(String endpointName) {
    fault(endpointName, EndpointSimulator.Fault.ROLLBACK_FAILS);
  }

  private void fault(String endpointName, EndpointSimulator.Fault fault) {
    locked(() -> {
      endpoints.injectFault(endpointName, fault);
      return null;
    });
  }

  /** Every fleet running this model fails its health check (a bad build) until cleared. */
  public void setModelUnhealthy(String modelName, boolean unhealthy) {
    locked(() -> {
      if (unhealthy) {
        unhealthyModels.add(Wire.lower(modelName));
      } else {
        unhealthyModels.remove(Wire.lower(modelName));
      }
      return null;
    });
  }

  /**
   * Maintenance: the endpoint is {@code SystemUpdating} from {@code from} to {@code until} and
   * rejects writes. If it is busy at {@code from}, the window starts when it is InService again
   * (if still open).
   */
  public void systemUpdating(String endpointName, Instant from, Instant until) {
    locked(() -> {
      endpoints.addMaintenance(endpointName, from, until);
      return null;
    });
  }

  /** Adds a throttling rule; draws come from the seeded random source. */
  public void throttle(ThrottleRule rule) {
    locked(() -> throttleRules.add(rule));
  }

  /**
   * Holds every wire call to the account's request-rate limits from now on (buckets start full);
   * null lifts them. Calls made through {@link #invoke} (scenario set-up) are not counted.
   */
  public void setApiLimits(ApiLimits limits) {
    locked(() -> {
      apiLimits = limits == null ? null : new ApiLimits.Buckets(limits, now());
      return null;
    });
  }

  /** How many wire calls the account's request-rate limits answered with ThrottlingException. */
  public long rateLimitedCalls() {
    return locked(() -> rateLimited);
  }

  /** The next {@code calls} calls of {@code operation} are throttled (deterministic). */
  public void throttleNext(String operation, int calls) {
    locked(() -> throttleNext.merge(operation, calls, Integer::sum));
  }

  public void clearThrottling() {
    locked(() -> {
      throttleRules.clear();
      throttleNext.clear();
      return null;
    });
  }

  public void setRandomSeed(long seed) {
    locked(() -> {
      random = new SplittableRandom(seed);
      return null;
    });
  }

  /**
   * The next {@code times} calls of {@code operation} fail with this error (e.g. ConflictException),
   * with the HTTP status AWS sends for it (5xx for InternalFailure, so SDK clients retry it as
   * they would a real one).
   */
  public void failNext(String operation, String errorCode, String message, int times) {
    locked(() -> {
      Deque<AwsServiceException> q = failNext.computeIfAbsent(operation, k -> new ArrayDeque<>());
      for (int i = 0; i < times; i++) {
        q.add(new AwsServiceException(InjectedErrors.statusOf(errorCode), errorCode, message));
      }
      return null;
    });
  }

  /**
   * Where deployments read their auto-rollback alarms' states ({@code OK}, {@code ALARM},
   * {@code INSUFFICIENT_DATA}) while baking; null = alarms are not evaluated.
   */
  public void setAlarmStateSource(Function<String, String> alarmStateByName) {
    locked(() -> {
      alarmStateSource = alarmStateByName;
      return null;
    });
  }

  /** How many copies of an endpoint event with this (UPPER_SNAKE) status are emitted. */
  public void setEndpointEventCopies(String eventStatus, int copies) {
    if (copies < 0) {
      throw new IllegalArgumentException("copies must be >= 0, got " + copies);
    }
    locked(() -> endpointEventCopies.put(eventStatus, copies));
  }

  public void setModelPackageEventCopies(int copies) {
    if (copies < 0) {
      throw new IllegalArgumentException("copies must be >= 0, got " + copies);
    }
    locked(() -> {
      modelPackageEventCopies = copies;
      return null;
    });
  }

  // ================================================================== reads

  public Optional<EndpointView> endpoint(String endpointName) {
    return locked(() -> {
      EndpointSimulator.Endpoint ep = endpoints.find(endpointName);
      return Optional.ofNullable(ep == null ? null : endpoints.view(ep, now()));
    });
  }

  public EndpointView requireEndpoint(String endpointName) {
    return endpoint(endpointName).orElseThrow(() -> new IllegalArgumentException("no endpoint " + endpointName));
  }

  public List<EndpointView> endpoints() {
    return locked(() -> endpoints.all().stream().map(ep -> endpoints.view(ep, now())).toList());
  }

  /** What DescribeModelPackage would answer, if the package exists. */
  public Optional<ObjectNode> modelPackage(String arn) {
    return locked(() -> Optional.ofNullable(registry.find(arn)).map(registry::describe));
  }

  /** The model package ARN a model was built from; empty if the model is unknown or image-based. */
  public Optional<String> modelPackageOfModel(String modelName) {
    return locked(() -> Optional.ofNullable(models.find(modelName)).map(m -> m.packageArn));
  }

  /**
   * What DescribeEndpoint showed of the endpoint over time: one moment per change of status,
   * active config, current weights or the set of model versions receiving traffic, from when it
   * was seeded or created. Empty for an unknown endpoint.
   */
  public List<EndpointMoment> visibleHistory(String endpointName) {
    synchronized (visible) {
      return List.copyOf(visible.getOrDefault(endpointName, List.of()));
    }
  }

  private void recordVisibleState(Set<String> changed) {
    List<EndpointView> views = changed.stream().map(this::endpoint).flatMap(Optional::stream).toList();
    Instant at = now();
    synchronized (visible) {
      for (EndpointView v : views) {
        EndpointMoment m = EndpointMoment.of(v, at);
        List<EndpointMoment> list = visible.computeIfAbsent(v.name(), k -> new ArrayList<>());
        if (list.isEmpty() || !list.get(list.size() - 1).sameAs(m)) {
          list.add(m);
        }
      }
    }
  }

  /**
   * How many calls of {@code operation} reached the wire in each virtual second (epoch second →
   * count), throttled ones included: what an account's API quota would see.
   */
  public java.util.SortedMap<Long, Integer> callsPerSecond(String operation) {
    return locked(() -> new java.util.TreeMap<>(callsPerSecond.getOrDefault(operation, new java.util.TreeMap<>())));
  }

  /**
   * How many calls of each operation reached the wire so far, throttled and refused ones included
   * (what an account's API quota counts), in operation-name order.
   */
  public java.util.SortedMap<String, Integer> callsByOperation() {
    return locked(() -> {
      java.util.TreeMap<String, Integer> out = new java.util.TreeMap<>();
      callsPerSecond.forEach((op, perSecond) ->
          out.put(op, perSecond.values().stream().mapToInt(Integer::intValue).sum()));
      return out;
    });
  }

  /** Every mutating call that reached the wire, in order, accepted or not. */
  public List<SageMakerMutation> mutations() {
    return locked(() -> List.copyOf(mutations));
  }

  /** {@code sagemakerMutations} for {@code run --json}: accepted calls only. */
  public ArrayNode mutationsJson() {
    return locked(() -> {
      ArrayNode a = LocalJson.MAPPER.createArrayNode();
      mutations.stream().filter(SageMakerMutation::accepted).forEach(m -> a.add(m.toJson()));
      return a;
    });
  }

  // ================================================================== internals

  String arn(String resource) {
    return aws.arn("sagemaker", resource);
  }

  long nextSequence() {
    return ++sequence;
  }

  String nextInstanceId() {
    return String.format("i-%04d", ++instanceCounter);
  }

  SageMakerTimings timingsLocked() {
    return timings;
  }

  boolean isUnhealthy(String modelName) {
    return unhealthyModels.contains(Wire.lower(modelName));
  }

  Function<String, String> alarmStateSource() {
    return alarmStateSource;
  }

  ScalableVariants scalableVariants() {
    return scalableVariants;
  }

  /**
   * Where UpdateEndpoint learns which variants Application Auto Scaling holds (it refuses to
   * change their instance type). Called under the world's lock: the answer must not wait on it.
   */
  public void setScalableVariants(ScalableVariants variants) {
    locked(() -> {
      scalableVariants = variants;
      return null;
    });
  }

  /** True when the endpoint exists and its current fleet has the variant (RegisterScalableTarget's check). */
  public boolean hasVariant(String endpointName, String variantName) {
    return locked(() -> endpoints.hasVariant(endpointName, variantName));
  }

  int endpointEventCopies(String eventStatus) {
    return endpointEventCopies.getOrDefault(eventStatus, 1);
  }

  int modelPackageEventCopies() {
    return modelPackageEventCopies;
  }

  /** Queues an event; it is published when the outermost lock holder releases the lock. */
  void emit(ServiceEvent event, int copies) {
    for (int i = 0; i < copies; i++) {
      outbox.add(event);
    }
  }

  /**
   * Runs a lifecycle step of {@code endpointName} under the lock; listeners hear that it may serve
   * differently. A null name concerns no endpoint's serving (e.g. freeing terminated capacity).
   */
  void lockedRun(String endpointName, Runnable body) {
    locked(() -> {
      if (endpointName != null) {
        servingDirty.add(endpointName);
      }
      body.run();
      return null;
    });
  }

  <T> T locked(Supplier<T> body) {
    lock.lock();
    List<ServiceEvent> toPublish = List.of();
    Set<String> servingChanged = Set.of();
    try {
      return body.get();
    } finally {
      if (lock.getHoldCount() == 1) {
        if (!outbox.isEmpty()) {
          toPublish = List.copyOf(outbox);
          outbox.clear();
        }
        if (allServingDirty) {
          servingChanged = endpoints.all().stream().map(ep -> ep.name)
              .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
          servingChanged.addAll(servingDirty);
        } else if (!servingDirty.isEmpty()) {
          servingChanged = new java.util.LinkedHashSet<>(servingDirty);
        }
        servingDirty.clear();
        allServingDirty = false;
      }
      lock.unlock();
      toPublish.forEach(publisher::publish);
      if (!servingChanged.isEmpty()) {
        Set<String> changed = java.util.Collections.unmodifiableSet(servingChanged);
        servingListeners.forEach(l -> l.accept(changed));
      }
    }
  }
}
