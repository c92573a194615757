package dev.poolshift.local.autoscaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Application Auto Scaling on the AWS JSON 1.1 wire ({@code X-Amz-Target:
 * AnyScaleFrontendService.<Operation>}, signing name {@code application-autoscaling}): the
 * registry of scalable targets and their policies, so a plan can see that a SageMaker variant is
 * autoscaled, a rollout can take a variant out of auto scaling and put it back, and a rehearsal
 * can register one. Scaling itself (alarms moving the desired count) is not simulated.
 *
 * <p>Rules, as documented (API Reference): targets are keyed by namespace, resource id and
 * dimension; RegisterScalableTarget on a registered target updates it (min/max/suspended state
 * given replace the old ones); DeregisterScalableTarget deletes the target's scaling policies;
 * PutScalingPolicy and DeleteScalingPolicy need the target registered (ObjectNotFoundException).
 * A SageMaker variant must exist to be registered (ValidationException; message ours). A target
 * whose endpoint was deleted is gone too (SageMaker: deleting an endpoint deregisters its
 * targets); here that is seen the next time the registry is read, as a describe would.
 */
public final class ApplicationAutoScalingService extends JsonProtocolService {
  private static final Set<String> NAMESPACES = Set.of("sagemaker", "ecs", "dynamodb", "lambda",
      "ec2", "appstream", "elasticmapreduce", "rds", "custom-resource", "comprehend", "kafka",
      "elasticache", "neptune", "cassandra", "workspaces");

  static final String VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount";
  private static final java.util.regex.Pattern VARIANT_RESOURCE =
      java.util.regex.Pattern.compile("endpoint/([^/]+)/variant/([^/]+)");
  private static final Set<String> POLICY_TYPES = Set.of("StepScaling", "TargetTrackingScaling",
      "PredictiveScaling");

  /** Does a SageMaker endpoint have this variant now? (the SageMaker simulator's answer) */
  @FunctionalInterface
  public interface Variants {
    boolean exists(String endpointName, String variantName);
  }

  private final Simulation sim;
  private final AwsContext aws;
  private final Variants variants;
  private final Map<String, ObjectNode> targets = new LinkedHashMap<>();
  private final Map<String, ObjectNode> policies = new LinkedHashMap<>();
  /** By {@code <target key>|<action name>}, in creation order (the order describe lists them). */
  private final Map<String, ObjectNode> scheduledActions = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> sequences = new java.util.HashMap<>();
  private long nextSequence;
  /**
   * Registered SageMaker variant resource ids, readable without this service's lock: SageMaker
   * asks while it holds its own lock, and this service calls SageMaker while holding this one.
   */
  private final Set<String> registeredVariants = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, java.util.Deque<AwsServiceException>> failNext = new java.util.HashMap<>();
  private static final Set<String> MUTATING = Set.of("RegisterScalableTarget",
      "DeregisterScalableTarget", "PutScalingPolicy", "DeleteScalingPolicy", "PutScheduledAction",
      "DeleteScheduledAction");
  private final List<Change> changes = new java.util.ArrayList<>();

  public ApplicationAutoScalingService(Simulation sim, AwsContext aws, Variants variants) {
    super("1.1");
    this.sim = sim;
    this.aws = aws;
    this.variants = variants;
  }

  /** For SageMaker's UpdateEndpoint check; never waits on this service's lock. */
  public boolean isVariantRegistered(String endpointName, String variantName) {
    return registeredVariants.contains("endpoint/" + endpointName + "/variant/" + variantName);
  }

  /**
   * The variant's target as {@code run --json} shows it: min, max, suspended state if set, and
   * policy names with their types; empty when the variant is not registered.
   */
  public synchronized java.util.Optional<ObjectNode> variantView(String endpointName, String variantName) {
    forgetDeletedVariants();
    String key = "sagemaker|endpoint/" + endpointName + "/variant/" + variantName + "|" + VARIANT_DIMENSION;
    ObjectNode t = targets.get(key);
    if (t == null) {
      return java.util.Optional.empty();
    }
    ObjectNode out = LocalJson.object().put("resourceId", t.get("ResourceId").asText())
        .put("minCapacity", t.get("MinCapacity").asInt()).put("maxCapacity", t.get("MaxCapacity").asInt());
    if (t.has("SuspendedState")) {
      out.set("suspendedState", t.get("SuspendedState").deepCopy());
    }
    ArrayNode list = out.putArray("policies");
    policies.entrySet().stream().filter(e -> e.getKey().startsWith(key + "|"))
        .forEach(e -> list.addObject().put("policyName", e.getValue().get("PolicyName").asText())
            .put("policyType", e.getValue().get("PolicyType").asText()));
    ArrayNode actions = out.putArray("scheduledActions");
    scheduledActions.entrySet().stream().filter(e -> e.getKey().startsWith(key + "|"))
        .forEach(e -> actions.add(e.getValue().get("ScheduledActionName").asText()));
    return java.util.Optional.of(out);
  }

  /** Registers a scaling policy directly (rehearsal seeding), as PutScalingPolicy would. */
  public synchronized void putVariantPolicy(String endpointName, String variantName, ObjectNode policy) {
    ObjectNode request = policy.deepCopy();
    request.put("ServiceNamespace", "sagemaker")
        .put("ResourceId", "endpoint/" + endpointName + "/variant/" + variantName)
        .put("ScalableDimension", VARIANT_DIMENSION);
    apply("PutScalingPolicy", request);
  }

  /** Creates a scheduled action directly (rehearsal seeding), as PutScheduledAction would. */
  public synchronized void putVariantScheduledAction(String endpointName, String variantName, ObjectNode action) {
    ObjectNode request = action.deepCopy();
    request.put("ServiceNamespace", "sagemaker")
        .put("ResourceId", "endpoint/" + endpointName + "/variant/" + variantName)
        .put("ScalableDimension", VARIANT_DIMENSION);
    apply("PutScheduledAction", request);
  }

  @Override
  public String signingName() {
    return "application-autoscaling";
  }

  @Override
  public String targetPrefix() {
    return "AnyScaleFrontendService";
  }

  /** Seeds the world with one operation in the wire's documents; not recorded as a change. */
  public synchronized JsonNode seed(String operation, ObjectNode request) {
    return apply(operation, request.deepCopy());
  }

  /** One operation in-process with the wire's documents (scripted actions, tests); errors thrown. */
  public synchronized JsonNode invoke(String operation, ObjectNode request) {
    return dispatch(operation, request.deepCopy());
  }

  /** Registers a SageMaker variant's target directly (rehearsal seeding), as the API would. */
  public synchronized void registerVariant(String endpointName, String variantName, int min, int max) {
    apply("RegisterScalableTarget", LocalJson.object().put("ServiceNamespace", "sagemaker")
        .put("ResourceId", "endpoint/" + endpointName + "/variant/" + variantName)
        .put("ScalableDimension", "sagemaker:variant:DesiredInstanceCount")
        .put("MinCapacity", min).put("MaxCapacity", max));
  }

  /** The next {@code operation} call fails with {@code error} (rehearsing a refusal). */
  public synchronized void failNext(String operation, AwsServiceException error) {
    failNext.computeIfAbsent(operation, k -> new java.util.ArrayDeque<>()).add(error);
  }

  /** A change a caller made (not the world's seeding), for a rehearsal's timeline. */
  public record Change(java.time.Instant time, String operation, String resourceId, String name) {}

  /** The accepted changes callers made, in order. */
  public synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  /** A call from a client (the wire, or {@link #invoke}): accepted changes are recorded. */
  @Override
  protected synchronized JsonNode dispatch(String operation, ObjectNode request) {
    JsonNode result = apply(operation, request);
    if (MUTATING.contains(operation)) {
      String name = request.hasNonNull("PolicyName") ? request.get("PolicyName").asText()
          : request.hasNonNull("ScheduledActionName") ? request.get("ScheduledActionName").asText() : null;
      changes.add(new Change(sim.now(), operation, request.path("ResourceId").asText(null), name));
    }
    return result;
  }

  private JsonNode apply(String operation, ObjectNode request) {
    java.util.Deque<AwsServiceException> injected = failNext.get(operation);
    if (injected != null && !injected.isEmpty()) {
      throw injected.poll();
    }
    forgetDeletedVariants();
    return switch (operation) {
      case "RegisterScalableTarget" -> register(request);
      case "DescribeScalableTargets" -> describeTargets(request);
      case "DeregisterScalableTarget" -> deregister(request);
      case "PutScalingPolicy" -> putPolicy(request);
      case "DescribeScalingPolicies" -> describePolicies(request);
      case "DeleteScalingPolicy" -> deletePolicy(request);
      case "PutScheduledAction" -> putScheduledAction(request);
      case "DescribeScheduledActions" -> describeScheduledActions(request);
      case "DeleteScheduledAction" -> deleteScheduledAction(request);
      default -> throw new dev.poolshift.local.http.UnknownOperationException(operation);
    };
  }

  private JsonNode register(ObjectNode r) {
    String key = targetKey(r);
    ObjectNode existing = targets.get(key);
    Integer min = r.hasNonNull("MinCapacity") ? r.get("MinCapacity").asInt() : null;
    Integer max = r.hasNonNull("MaxCapacity") ? r.get("MaxCapacity").asInt() : null;
    if (existing == null && (min == null || max == null)) {
      throw validation("MinCapacity and MaxCapacity are required to register a new scalable target");
    }
    int newMin = min != null ? min : existing.get("MinCapacity").asInt();
    int newMax = max != null ? max : existing.get("MaxCapacity").asInt();
    if (newMin < 0 || newMax < newMin) {
      throw validation("Maximum capacity cannot be less than minimum capacity");
    }
    if (existing == null) {
      requireVariant(r);
    }
    ObjectNode t = existing != null ? existing : LocalJson.object();
    t.put("ServiceNamespace", r.get("ServiceNamespace").asText());
    t.put("ResourceId", r.get("ResourceId").asText());
    t.put("ScalableDimension", r.get("ScalableDimension").asText());
    t.put("MinCapacity", newMin);
    t.put("MaxCapacity", newMax);
    if (r.has("SuspendedState")) {
      ObjectNode suspended = t.has("SuspendedState") ? (ObjectNode) t.get("SuspendedState") : LocalJson.object();
      r.get("SuspendedState").fields().forEachRemaining(f -> suspended.set(f.getKey(), f.getValue().deepCopy()));
      t.set("SuspendedState", suspended);
    }
    t.put("RoleARN", r.path("RoleARN").asText("arn:" + aws.partition() + ":iam::" + aws.accountId()
        + ":role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
        + "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"));
    if (existing == null) {
      t.put("CreationTime", sim.now().toEpochMilli() / 1000.0);
      t.put("ScalableTargetARN", targetArn(key));
      targets.put(key, t);
      if (isVariantTarget(t)) {
        registeredVariants.add(t.get("ResourceId").asText());
      }
    }
    return LocalJson.object().put("ScalableTargetARN", t.get("ScalableTargetARN").asText());
  }

  private JsonNode describeTargets(ObjectNode r) {
    String ns = namespace(r);
    Set<String> ids = strings(r.path("ResourceIds"));
    String dimension = r.path("ScalableDimension").asText(null);
    return page(r, "ScalableTargets", targets, 50, t -> t.get("ServiceNamespace").asText().equals(ns)
        && (ids.isEmpty() || ids.contains(t.get("ResourceId").asText()))
        && (dimension == null || t.get("ScalableDimension").asText().equals(dimension)));
  }

  private JsonNode deregister(ObjectNode r) {
    String key = targetKey(r);
    ObjectNode removed = targets.remove(key);
    if (removed != null && isVariantTarget(removed)) {
      registeredVariants.remove(removed.get("ResourceId").asText());
    }
    if (removed == null) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scalable target registered for service"
          + " namespace: " + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText());
    }
    policies.keySet().removeIf(k -> k.startsWith(key + "|"));
    scheduledActions.keySet().removeIf(k -> k.startsWith(key + "|"));
    return LocalJson.object();
  }

  private JsonNode putPolicy(ObjectNode r) {
    String key = targetKey(r);
    if (!targets.containsKey(key)) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scalable target registered for service"
          + " namespace: " + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText());
    }
    String name = required(r, "PolicyName");
    String type = r.path("PolicyType").asText("StepScaling");
    if (!POLICY_TYPES.contains(type)) {
      throw validation("1 validation error detected: Value '" + type + "' at 'policyType' failed to satisfy"
          + " constraint: Member must satisfy enum value set: " + new java.util.TreeSet<>(POLICY_TYPES));
    }
    String configuration = switch (type) {
      case "TargetTrackingScaling" -> "TargetTrackingScalingPolicyConfiguration";
      case "PredictiveScaling" -> "PredictiveScalingPolicyConfiguration";
      default -> "StepScalingPolicyConfiguration";
    };
    if (!r.hasNonNull(configuration)) {
      throw validation(configuration + " is required for a policy of type " + type);
    }
    if ("TargetTrackingScaling".equals(type)) {
      checkTargetTracking(r.get(configuration));
    }
    ObjectNode p = r.deepCopy();
    p.put("PolicyType", type);
    p.put("PolicyARN", aws.arn("autoscaling", "scalingPolicy:" + UUID.nameUUIDFromBytes(
        (key + "|" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ":resource/"
        + r.get("ServiceNamespace").asText() + "/" + r.get("ResourceId").asText() + ":policyName/" + name));
    p.put("CreationTime", sim.now().toEpochMilli() / 1000.0);
    p.putArray("Alarms");
    policies.put(key + "|" + name, p);
    return LocalJson.object().put("PolicyARN", p.get("PolicyARN").asText()).set("Alarms", LocalJson.MAPPER.createArrayNode());
  }

  private JsonNode describePolicies(ObjectNode r) {
    String ns = namespace(r);
    String resource = r.path("ResourceId").asText(null);
    String dimension = r.path("ScalableDimension").asText(null);
    Set<String> names = strings(r.path("PolicyNames"));
    return page(r, "ScalingPolicies", policies, 10, p -> p.get("ServiceNamespace").asText().equals(ns)
        && (resource == null || p.get("ResourceId").asText().equals(resource))
        && (dimension == null || p.get("ScalableDimension").asText().equals(dimension))
        && (names.isEmpty() || names.contains(p.get("PolicyName").asText())));
  }

  private JsonNode deletePolicy(ObjectNode r) {
    String key = targetKey(r) + "|" + required(r, "PolicyName");
    if (policies.remove(key) == null) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scaling policy found for service namespace: "
          + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText() + ", policy name: "
          + r.get("PolicyName").asText());
    }
    return LocalJson.object();
  }

  private JsonNode putScheduledAction(ObjectNode r) {
    String key = targetKey(r);
    String name = required(r, "ScheduledActionName");
    if (!targets.containsKey(key)) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scalable target registered for service"
          + " namespace: " + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText());
    }
    ObjectNode existing = scheduledActions.get(key + "|" + name);
    if (existing == null && !r.hasNonNull("Schedule")) {
      throw validation("Schedule is required to create scheduled action " + name);
    }
    ObjectNode a = existing != null ? existing.deepCopy() : LocalJson.object();
    for (String field : List.of("ServiceNamespace", "ResourceId", "ScalableDimension", "ScheduledActionName",
        "Schedule", "Timezone", "ScalableTargetAction")) {
      if (r.hasNonNull(field)) {
        a.set(field, r.get(field).deepCopy());
      }
    }
    // Documented: an update without start and end times deletes the old ones.
    for (String field : List.of("StartTime", "EndTime")) {
      if (r.hasNonNull(field)) {
        a.set(field, r.get(field).deepCopy());
      } else {
        a.remove(field);
      }
    }
    validateScheduledAction(a);
    if (existing == null) {
      a.put("ScheduledActionARN", aws.arn("autoscaling", "scheduledAction:" + UUID.nameUUIDFromBytes(
          (key + "|" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ":resource/"
          + r.get("ServiceNamespace").asText() + "/" + r.get("ResourceId").asText() + ":scheduledActionName/" + name));
      a.put("CreationTime", sim.now().toEpochMilli() / 1000.0);
    }
    scheduledActions.put(key + "|" + name, a);
    return LocalJson.object();
  }

  private static final java.util.regex.Pattern AT =
      java.util.regex.Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");
  private static final java.util.regex.Pattern RATE =
      java.util.regex.Pattern.compile("rate\\(([1-9]\\d*) (minute|minutes|hour|hours|day|days)\\)");
  private static final java.util.regex.Pattern CRON = java.util.regex.Pattern.compile("cron\\(([^()]+)\\)");

  /** The schedule's form, the time zone, the window and the bounds, loosely (messages ours). */
  private void validateScheduledAction(ObjectNode a) {
    String schedule = a.get("Schedule").asText();
    java.time.ZoneId zone = java.time.ZoneOffset.UTC;
    if (a.hasNonNull("Timezone")) {
      try {
        zone = java.time.ZoneId.of(a.get("Timezone").asText());
      } catch (java.time.DateTimeException e) {
        throw validation("Invalid time zone: " + a.get("Timezone").asText());
      }
    }
    java.util.regex.Matcher at = AT.matcher(schedule);
    if (at.matches()) {
      java.time.Instant when;
      try {
        when = java.time.LocalDateTime.parse(at.group(1)).atZone(zone).toInstant();
      } catch (java.time.DateTimeException e) {
        throw validation("Invalid at expression: " + schedule);
      }
      if (!when.isAfter(sim.now())) {
        throw validation("The at expression " + schedule + " is in the past: a one-time scheduled action must be"
            + " scheduled for a future time");
      }
    } else if (!RATE.matcher(schedule).matches()) {
      java.util.regex.Matcher cron = CRON.matcher(schedule);
      if (!cron.matches() || cron.group(1).trim().split("\\s+").length != 6) {
        throw validation("Unsupported schedule " + schedule + ": expected at(yyyy-mm-ddThh:mm:ss),"
            + " rate(value unit) or cron(fields) with six fields");
      }
    }
    if (a.hasNonNull("StartTime") && a.hasNonNull("EndTime")
        && a.get("EndTime").asDouble() <= a.get("StartTime").asDouble()) {
      throw validation("EndTime must be after StartTime");
    }
    JsonNode action = a.path("ScalableTargetAction");
    Integer min = action.hasNonNull("MinCapacity") ? action.get("MinCapacity").asInt() : null;
    Integer max = action.hasNonNull("MaxCapacity") ? action.get("MaxCapacity").asInt() : null;
    if ((min != null && min < 0) || (max != null && max < 0)) {
      throw validation("ScalableTargetAction capacities must not be negative");
    }
    if (min != null && max != null && max < min) {
      throw validation("Maximum capacity cannot be less than minimum capacity");
    }
  }

  private JsonNode describeScheduledActions(ObjectNode r) {
    String ns = namespace(r);
    String resource = r.path("ResourceId").asText(null);
    String dimension = r.path("ScalableDimension").asText(null);
    if (dimension != null && resource == null) {
      throw validation("If you specify a scalable dimension, you must also specify a resource ID");
    }
    Set<String> names = strings(r.path("ScheduledActionNames"));
    return page(r, "ScheduledActions", scheduledActions, 50, a -> a.get("ServiceNamespace").asText().equals(ns)
        && (resource == null || a.get("ResourceId").asText().equals(resource))
        && (dimension == null || a.get("ScalableDimension").asText().equals(dimension))
        && (names.isEmpty() || names.contains(a.get("ScheduledActionName").asText())));
  }

  /**
   * A Describe* page: {@code MaxResults} from 1 to {@code max} ({@code max} when absent: 50 for
   * targets and scheduled actions, 10 for policies), the token holding the key of the last item.
   */
  private JsonNode page(ObjectNode r, String member, Map<String, ObjectNode> source, int max,
      java.util.function.Predicate<ObjectNode> filter) {
    // Listed in creation order (the maps keep it); the token holds the last item's creation
    // number, which later creations and deletions do not change.
    Map<String, Long> order = sequences.computeIfAbsent(member, m -> new java.util.HashMap<>());
    order.keySet().retainAll(source.keySet());
    source.keySet().forEach(k -> order.computeIfAbsent(k, x -> nextSequence++));
    Integer requested = r.hasNonNull("MaxResults") ? r.get("MaxResults").asInt() : null;
    int size = Paging.limit(requested, max, 1, max, n -> validation("1 validation error detected: Value '" + n
        + "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and " + max));
    List<Map.Entry<String, ObjectNode>> matching = source.entrySet().stream().filter(e -> filter.test(e.getValue()))
        .toList();
    String token = r.hasNonNull("NextToken") ? r.get("NextToken").asText() : null;
    Paging.Page<Map.Entry<String, ObjectNode>> page = Paging.page(matching,
        e -> Paging.ascending(order.get(e.getKey())), size, token,
        () -> AwsServiceException.client("InvalidNextTokenException", "The NextToken value is not valid"));
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray(member);
    page.items().forEach(e -> list.add(e.getValue().deepCopy()));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  private JsonNode deleteScheduledAction(ObjectNode r) {
    String key = targetKey(r) + "|" + required(r, "ScheduledActionName");
    if (scheduledActions.remove(key) == null) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scheduled action found for service namespace: "
          + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText() + ", scheduled action name: "
          + r.get("ScheduledActionName").asText());
    }
    return LocalJson.object();
  }

  /** A SageMaker variant target names a variant that exists now (message ours, unconfirmed). */
  private void requireVariant(ObjectNode r) {
    if (!"sagemaker".equals(r.get("ServiceNamespace").asText())
        || !VARIANT_DIMENSION.equals(r.get("ScalableDimension").asText())) {
      return;
    }
    String id = r.get("ResourceId").asText();
    java.util.regex.Matcher m = VARIANT_RESOURCE.matcher(id);
    if (!m.matches()) {
      throw validation("Unsupported resource ID for scalable dimension " + VARIANT_DIMENSION + ": " + id
          + " (expected endpoint/<endpoint name>/variant/<variant name>)");
    }
    if (!variants.exists(m.group(1), m.group(2))) {
      throw validation("The endpoint variant " + m.group(2) + " of endpoint " + m.group(1)
          + " does not exist: cannot register " + id + " as a scalable target");
    }
  }

  /**
   * Targets (and their policies) of SageMaker variants that no longer exist are gone: deleting
   * an endpoint deregisters them (SageMaker Developer Guide, "Delete endpoints configured for
   * auto scaling"); an autoscaled variant cannot be removed by an update while registered.
   */
  private void forgetDeletedVariants() {
    List<String> gone = new ArrayList<>();
    targets.forEach((key, t) -> {
      if (isVariantTarget(t)) {
        java.util.regex.Matcher m = VARIANT_RESOURCE.matcher(t.get("ResourceId").asText());
        if (m.matches() && !variants.exists(m.group(1), m.group(2))) {
          gone.add(key);
        }
      }
    });
    for (String key : gone) {
      registeredVariants.remove(targets.remove(key).get("ResourceId").asText());
      policies.keySet().removeIf(k -> k.startsWith(key + "|"));
      scheduledActions.keySet().removeIf(k -> k.startsWith(key + "|"));
    }
  }

  private static boolean isVariantTarget(ObjectNode t) {
    return "sagemaker".equals(t.path("ServiceNamespace").asText())
        && VARIANT_DIMENSION.equals(t.path("ScalableDimension").asText());
  }

  /**
   * The ARN of the scalable target for this namespace, resource and dimension: the registered
   * one's, or the one registering it would give (IAM authorizes a registration against it).
   */
  public synchronized String scalableTargetArn(String namespace, String resourceId, String dimension) {
    String key = namespace + "|" + resourceId + "|" + dimension;
    ObjectNode existing = targets.get(key);
    return existing != null ? existing.get("ScalableTargetARN").asText() : targetArn(key);
  }

  private String targetArn(String key) {
    return aws.arn("application-autoscaling", "scalable-target/"
        + UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static String targetKey(ObjectNode r) {
    return namespace(r) + "|" + required(r, "ResourceId") + "|" + required(r, "ScalableDimension");
  }

  private static String namespace(ObjectNode r) {
    String ns = required(r, "ServiceNamespace");
    if (!NAMESPACES.contains(ns)) {
      throw validation("1 validation error detected: Value '" + ns + "' at 'serviceNamespace' failed to satisfy"
          + " constraint: Member must satisfy enum value set");
    }
    return ns;
  }

  private static String required(ObjectNode r, String field) {
    if (!r.hasNonNull(field) || r.get(field).asText().isEmpty()) {
      throw validation("1 validation error detected: Value null at '" + Character.toLowerCase(field.charAt(0))
          + field.substring(1) + "' failed to satisfy constraint: Member must not be null");
    }
    return r.get(field).asText();
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new java.util.HashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static AwsServiceException validation(String message) {
    return AwsServiceException.client("ValidationException", message);
  }

  private static final java.util.regex.Pattern QUERY_ID = java.util.regex.Pattern.compile("[a-z][A-Za-z0-9_]{0,63}");
  private static final java.util.regex.Pattern EXPRESSION_ID = java.util.regex.Pattern.compile("\\b[a-z][A-Za-z0-9_]*\\b");
  private static final Set<String> SINGLE_METRIC_FIELDS = Set.of("MetricName", "Namespace", "Dimensions", "Statistic", "Unit");

  /**
   * A target-tracking configuration as the API reference describes it: a TargetValue and one
   * metric, predefined or customized. A customized metric is either one metric (MetricName,
   * Namespace, Statistic) or metric math ({@code Metrics}, TargetTrackingMetricDataQuery): each
   * query has a unique Id (letters, digits, underscores, a lowercase letter first, at most 64),
   * either an Expression (at most 2048 characters) or a MetricStat (Metric with MetricName and
   * Namespace, and Stat), not both, and exactly one query returns data (ReturnData defaults to
   * true). Where the reference is silent the harsher reading is taken: both forms of a customized
   * metric at once are refused, and an expression naming an Id no query has is refused here
   * rather than left to produce no data.
   */
  private static void checkTargetTracking(JsonNode c) {
    if (!c.path("TargetValue").isNumber()) {
      throw validation("TargetTrackingScalingPolicyConfiguration.TargetValue is required");
    }
    boolean predefined = c.hasNonNull("PredefinedMetricSpecification");
    boolean customized = c.hasNonNull("CustomizedMetricSpecification");
    if (predefined == customized) {
      throw validation("TargetTrackingScalingPolicyConfiguration needs exactly one of"
          + " PredefinedMetricSpecification and CustomizedMetricSpecification");
    }
    if (!customized) {
      return;
    }
    JsonNode spec = c.get("CustomizedMetricSpecification");
    if (!spec.has("Metrics")) {
      for (String field : List.of("MetricName", "Namespace", "Statistic")) {
        if (!spec.path(field).isTextual() || spec.path(field).asText().isEmpty()) {
          throw validation("CustomizedMetricSpecification." + field + " is required when Metrics is not given");
        }
      }
      return;
    }
    for (String field : SINGLE_METRIC_FIELDS) {
      if (spec.has(field)) {
        throw validation("CustomizedMetricSpecification: " + field + " cannot be combined with Metrics");
      }
    }
    JsonNode metrics = spec.get("Metrics");
    if (!metrics.isArray() || metrics.isEmpty()) {
      throw validation("CustomizedMetricSpecification.Metrics must hold at least one TargetTrackingMetricDataQuery");
    }
    Set<String> ids = new java.util.HashSet<>();
    List<String> expressions = new ArrayList<>();
    int returning = 0;
    for (int i = 0; i < metrics.size(); i++) {
      JsonNode q = metrics.get(i);
      String at = "CustomizedMetricSpecification.Metrics[" + i + "]";
      String id = q.path("Id").asText("");
      if (!QUERY_ID.matcher(id).matches()) {
        throw validation(at + ".Id must be 1-64 letters, digits or underscores starting with a lowercase letter (got '" + id + "')");
      }
      if (!ids.add(id)) {
        throw validation(at + ".Id '" + id + "' is not unique");
      }
      boolean expression = q.hasNonNull("Expression");
      boolean stat = q.hasNonNull("MetricStat");
      if (expression == stat) {
        throw validation(at + " must specify either Expression or MetricStat, but not both");
      }
      if (expression) {
        String e = q.get("Expression").asText("");
        if (e.isEmpty() || e.length() > 2048) {
          throw validation(at + ".Expression must be 1-2048 characters");
        }
        expressions.add(e);
      } else {
        JsonNode ms = q.get("MetricStat");
        if (!ms.path("Stat").isTextual() || ms.path("Stat").asText().isEmpty()) {
          throw validation(at + ".MetricStat.Stat is required");
        }
        for (String field : List.of("MetricName", "Namespace")) {
          if (!ms.path("Metric").path(field).isTextual() || ms.path("Metric").path(field).asText().isEmpty()) {
            throw validation(at + ".MetricStat.Metric." + field + " is required");
          }
        }
      }
      if (!q.has("ReturnData") || q.get("ReturnData").asBoolean()) {
        returning++;
      }
    }
    if (returning != 1) {
      throw validation("CustomizedMetricSpecification.Metrics: exactly one query must return data (ReturnData true),"
          + " the final expression; got " + returning);
    }
    for (String e : expressions) {
      java.util.regex.Matcher m = EXPRESSION_ID.matcher(e);
      while (m.find()) {
        if (!ids.contains(m.group())) {
          throw validation("CustomizedMetricSpecification.Metrics: expression '" + e + "' refers to '" + m.group()
              + "', which no query in Metrics has as its Id");
        }
      }
    }
  }
}
