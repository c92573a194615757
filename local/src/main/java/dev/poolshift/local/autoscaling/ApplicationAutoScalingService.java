package dev.poolshift.local.autoscaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.json.Json;
import dev.poolshift.local.sim.Simulation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Application Auto Scaling on the AWS JSON 1.1 wire ({@code X-Amz-Target:
 * AnyScaleFrontendService.<Operation>}, signing name {@code application-autoscaling}): the
 * registry of scalable targets and their policies, so a plan can see that a SageMaker variant is
 * autoscaled and a rehearsal can register one. Scaling itself (alarms moving the desired count)
 * is not simulated. Targets are keyed by namespace, resource id and dimension, as in AWS; a
 * target's policies go with it when it is deregistered.
 */
public final class ApplicationAutoScalingService extends JsonProtocolService {
  private static final Set<String> NAMESPACES = Set.of("sagemaker", "ecs", "dynamodb", "lambda",
      "ec2", "appstream", "elasticmapreduce", "rds", "custom-resource", "comprehend", "kafka",
      "elasticache", "neptune", "cassandra", "workspaces");

  private final Simulation sim;
  private final AwsContext aws;
  private final Map<String, ObjectNode> targets = new LinkedHashMap<>();
  private final Map<String, ObjectNode> policies = new LinkedHashMap<>();

  public ApplicationAutoScalingService(Simulation sim, AwsContext aws) {
    super("1.1");
    this.sim = sim;
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "application-autoscaling";
  }

  @Override
  public String targetPrefix() {
    return "AnyScaleFrontendService";
  }

  /** Registers a SageMaker variant's target directly (rehearsal seeding), as the API would. */
  public synchronized void registerVariant(String endpointName, String variantName, int min, int max) {
    dispatch("RegisterScalableTarget", Json.object().put("ServiceNamespace", "sagemaker")
        .put("ResourceId", "endpoint/" + endpointName + "/variant/" + variantName)
        .put("ScalableDimension", "sagemaker:variant:DesiredInstanceCount")
        .put("MinCapacity", min).put("MaxCapacity", max));
  }

  @Override
  protected synchronized JsonNode dispatch(String operation, ObjectNode request) {
    return switch (operation) {
      case "RegisterScalableTarget" -> register(request);
      case "DescribeScalableTargets" -> describeTargets(request);
      case "DeregisterScalableTarget" -> deregister(request);
      case "PutScalingPolicy" -> putPolicy(request);
      case "DescribeScalingPolicies" -> describePolicies(request);
      case "DeleteScalingPolicy" -> deletePolicy(request);
      default -> throw AwsServiceException.client("UnknownOperationException",
          "operation " + operation + " is not supported by the local Application Auto Scaling");
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
    ObjectNode t = existing != null ? existing : Json.object();
    t.put("ServiceNamespace", r.get("ServiceNamespace").asText());
    t.put("ResourceId", r.get("ResourceId").asText());
    t.put("ScalableDimension", r.get("ScalableDimension").asText());
    t.put("MinCapacity", newMin);
    t.put("MaxCapacity", newMax);
    t.put("RoleARN", r.path("RoleARN").asText("arn:" + aws.partition() + ":iam::" + aws.accountId()
        + ":role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
        + "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"));
    if (existing == null) {
      t.put("CreationTime", sim.now().toEpochMilli() / 1000.0);
      t.put("ScalableTargetARN", aws.arn("application-autoscaling", "scalable-target/"
          + UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      targets.put(key, t);
    }
    return Json.object().put("ScalableTargetARN", t.get("ScalableTargetARN").asText());
  }

  private JsonNode describeTargets(ObjectNode r) {
    String ns = namespace(r);
    Set<String> ids = strings(r.path("ResourceIds"));
    String dimension = r.path("ScalableDimension").asText(null);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("ScalableTargets");
    targets.values().stream()
        .filter(t -> t.get("ServiceNamespace").asText().equals(ns))
        .filter(t -> ids.isEmpty() || ids.contains(t.get("ResourceId").asText()))
        .filter(t -> dimension == null || t.get("ScalableDimension").asText().equals(dimension))
        .forEach(t -> list.add(t.deepCopy()));
    return out;
  }

  private JsonNode deregister(ObjectNode r) {
    String key = targetKey(r);
    if (targets.remove(key) == null) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scalable target registered for service"
          + " namespace: " + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText());
    }
    policies.keySet().removeIf(k -> k.startsWith(key + "|"));
    return Json.object();
  }

  private JsonNode putPolicy(ObjectNode r) {
    String key = targetKey(r);
    if (!targets.containsKey(key)) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scalable target registered for service"
          + " namespace: " + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText());
    }
    String name = required(r, "PolicyName");
    ObjectNode p = r.deepCopy();
    p.put("PolicyType", r.path("PolicyType").asText("StepScaling"));
    p.put("PolicyARN", aws.arn("autoscaling", "scalingPolicy:" + UUID.nameUUIDFromBytes(
        (key + "|" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ":resource/"
        + r.get("ServiceNamespace").asText() + "/" + r.get("ResourceId").asText() + ":policyName/" + name));
    p.put("CreationTime", sim.now().toEpochMilli() / 1000.0);
    p.putArray("Alarms");
    policies.put(key + "|" + name, p);
    return Json.object().put("PolicyARN", p.get("PolicyARN").asText()).set("Alarms", Json.MAPPER.createArrayNode());
  }

  private JsonNode describePolicies(ObjectNode r) {
    String ns = namespace(r);
    String resource = r.path("ResourceId").asText(null);
    String dimension = r.path("ScalableDimension").asText(null);
    Set<String> names = strings(r.path("PolicyNames"));
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("ScalingPolicies");
    policies.values().stream()
        .filter(p -> p.get("ServiceNamespace").asText().equals(ns))
        .filter(p -> resource == null || p.get("ResourceId").asText().equals(resource))
        .filter(p -> dimension == null || p.get("ScalableDimension").asText().equals(dimension))
        .filter(p -> names.isEmpty() || names.contains(p.get("PolicyName").asText()))
        .forEach(p -> list.add(p.deepCopy()));
    return out;
  }

  private JsonNode deletePolicy(ObjectNode r) {
    String key = targetKey(r) + "|" + required(r, "PolicyName");
    if (policies.remove(key) == null) {
      throw AwsServiceException.client("ObjectNotFoundException", "No scaling policy found for service namespace: "
          + r.get("ServiceNamespace").asText() + ", resource ID: " + r.get("ResourceId").asText()
          + ", scalable dimension: " + r.get("ScalableDimension").asText() + ", policy name: "
          + r.get("PolicyName").asText());
    }
    return Json.object();
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
}
