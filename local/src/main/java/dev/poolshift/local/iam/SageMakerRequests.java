package dev.poolshift.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * SageMaker's request contexts (Service Authorization Reference, "Amazon SageMaker"): resources
 * are named by ARNs whose names SageMaker lower-cases; every existing resource brings its tags as
 * {@code aws:ResourceTag/<key>} and {@code sagemaker:ResourceTag/<key>} (none when it does not
 * exist, so a tag condition denies a call on a missing resource, as in AWS).
 *
 * <p>What a create call adds:
 * <ul>
 *   <li>its tags as {@code aws:RequestTag/<key>} and {@code aws:TagKeys}, and, when it carries
 *       tags, a second authorization of {@code sagemaker:AddTags} on the new resource with
 *       {@code sagemaker:TaggingAction} naming the create call (the developer guide's "Provide
 *       permissions for tagging SageMaker AI resources"); a standalone {@code AddTags} has no
 *       {@code sagemaker:TaggingAction} (the harsher reading: a condition on it then fails);</li>
 *   <li>{@code iam:PassRole} on the role it hands to SageMaker ({@code ExecutionRoleArn}) with
 *       {@code iam:PassedToService = sagemaker.amazonaws.com} and {@code iam:AssociatedResourceArn}
 *       the new resource;</li>
 *   <li>{@code CreateEndpointConfig}: {@code sagemaker:InstanceTypes} lists the type of every
 *       production and shadow variant <em>and of every instance pool</em> (unconfirmed whether
 *       SageMaker includes pool types; the harsher reading, so a pool type outside an allow-list
 *       is denied), {@code sagemaker:AcceleratorTypes}, {@code sagemaker:ModelArn} (the models the
 *       variants and pools name), {@code sagemaker:VolumeKmsKey} and {@code sagemaker:VolumeKmsKeyArn}
 *       ({@code KmsKeyId}), {@code sagemaker:ServerlessMaxConcurrency} and
 *       {@code sagemaker:ServerlessMemorySize}; {@code CreateModel}: {@code sagemaker:NetworkIsolation},
 *       {@code sagemaker:VpcSecurityGroupIds}, {@code sagemaker:VpcSubnets}.</li>
 * </ul>
 * {@code UpdateEndpoint} and {@code CreateEndpoint} are authorized against the endpoint and,
 * separately, the endpoint config they deploy (both resource types are listed for them). List
 * calls other than {@code ListTags} have no resource-level permissions: {@code *}.
 */
final class SageMakerRequests implements ServiceRequests {
  private static final String PASSED_TO = "sagemaker.amazonaws.com";
  private final AwsContext aws;
  private final Function<String, Map<String, String>> tagsOf;

  /** @param tagsOf the tags of an existing resource by ARN (empty when it has none or does not exist) */
  SageMakerRequests(AwsContext aws, Function<String, Map<String, String>> tagsOf) {
    this.aws = aws;
    this.tagsOf = tagsOf;
  }

  @Override
  public String signingName() {
    return "sagemaker";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    ObjectNode in = r.document();
    return switch (op) {
      case "CreateModel" -> create(op, arn("model", r.required("ModelName")), in, modelKeys(in));
      case "CreateEndpointConfig" -> create(op, arn("endpoint-config", r.required("EndpointConfigName")), in,
          configKeys(in));
      case "CreateEndpoint" -> {
        List<Authorization> out = new ArrayList<>();
        String endpoint = arn("endpoint", r.required("EndpointName"));
        out.addAll(create(op, endpoint, in, new RequestContext()));
        out.add(1, existing(op, arn("endpoint-config", r.required("EndpointConfigName"))));
        yield out;
      }
      case "CreateModelPackageGroup" -> create(op, arn("model-package-group", r.required("ModelPackageGroupName")),
          in, new RequestContext());
      // unconfirmed: which ARN a new version is authorized against before it has a version number;
      // its group's package ARN without a version.
      case "CreateModelPackage" -> create(op, packageArn(r.text("ModelPackageGroupName") != null
          ? r.text("ModelPackageGroupName") : r.required("ModelPackageName")), in, new RequestContext());
      case "UpdateEndpoint" -> List.of(existing(op, arn("endpoint", r.required("EndpointName"))),
          existing(op, arn("endpoint-config", r.required("EndpointConfigName"))));
      case "UpdateEndpointWeightsAndCapacities", "DescribeEndpoint", "DeleteEndpoint" ->
          List.of(existing(op, arn("endpoint", r.required("EndpointName"))));
      case "DescribeModel", "DeleteModel" -> List.of(existing(op, arn("model", r.required("ModelName"))));
      case "DescribeEndpointConfig", "DeleteEndpointConfig" ->
          List.of(existing(op, arn("endpoint-config", r.required("EndpointConfigName"))));
      case "DescribeModelPackage" -> List.of(existing(op, packageArn(r.required("ModelPackageName"))));
      case "UpdateModelPackage" -> {
        Authorization a = existing(op, packageArn(r.required("ModelPackageArn")));
        a.context().put("sagemaker:ModelApprovalStatus", r.text("ModelApprovalStatus"));
        yield List.of(a);
      }
      case "DescribeModelPackageGroup" ->
          List.of(existing(op, arn("model-package-group", r.required("ModelPackageGroupName"))));
      case "ListTags" -> List.of(existing(op, r.required("ResourceArn")));
      case "AddTags" -> {
        Authorization a = existing(op, r.required("ResourceArn"));
        a.context().merge(Keys.requestTags(Keys.jsonTags(in, "Tags"), in.has("Tags")));
        yield List.of(a);
      }
      case "DeleteTags" -> {
        Authorization a = existing(op, r.required("ResourceArn"));
        a.context().putAll("aws:TagKeys", Keys.texts(in, "TagKeys"));
        yield List.of(a);
      }
      case "DescribeInferenceComponent", "UpdateInferenceComponent", "DeleteInferenceComponent" ->
          List.of(existing(op, arn("inference-component", r.required("InferenceComponentName"))));
      case "ListModels", "ListEndpointConfigs", "ListEndpoints", "ListModelPackages", "ListModelPackageGroups",
          "ListInferenceComponents" ->
          List.of(Authorization.of(action(op), "*"));
      default -> throw new UnmappedOperationException("sagemaker", op);
    };
  }

  private static String action(String operation) {
    return "sagemaker:" + operation;
  }

  private String arn(String type, String nameOrArn) {
    return nameOrArn.startsWith("arn:") ? nameOrArn : aws.arn("sagemaker", type + "/" + nameOrArn.toLowerCase(
        Locale.ROOT));
  }

  private String packageArn(String nameOrArn) {
    return arn("model-package", nameOrArn);
  }

  /** An action on an existing resource: its tags are in the context. */
  private Authorization existing(String operation, String resourceArn) {
    return new Authorization(action(operation), resourceArn, Keys.resourceTags(tagsOf.apply(resourceArn),
        "sagemaker"));
  }

  /** A create call: the create itself, then iam:PassRole for its role, then AddTags for its tags. */
  private List<Authorization> create(String operation, String resourceArn, ObjectNode in, RequestContext keys) {
    Map<String, String> tags = Keys.jsonTags(in, "Tags");
    RequestContext requestTags = Keys.requestTags(tags, in.has("Tags"));
    List<Authorization> out = new ArrayList<>();
    out.add(new Authorization(action(operation), resourceArn, new RequestContext(keys).merge(requestTags)));
    JsonNode role = in.get("ExecutionRoleArn");
    if (role != null && role.isTextual()) {
      out.add(new Authorization("iam:PassRole", role.asText(), new RequestContext()
          .put("iam:PassedToService", PASSED_TO).put("iam:AssociatedResourceArn", resourceArn)));
    }
    if (!tags.isEmpty()) {
      out.add(new Authorization("sagemaker:AddTags", resourceArn, new RequestContext(requestTags)
          .put("sagemaker:TaggingAction", operation)));
    }
    return out;
  }

  private static RequestContext modelKeys(ObjectNode in) {
    RequestContext c = new RequestContext();
    JsonNode isolation = in.get("EnableNetworkIsolation");
    if (isolation != null && isolation.isBoolean()) {
      c.put("sagemaker:NetworkIsolation", String.valueOf(isolation.asBoolean()));
    }
    JsonNode vpc = in.get("VpcConfig");
    if (vpc != null && vpc.isObject()) {
      c.putAll("sagemaker:VpcSecurityGroupIds", Keys.texts(vpc, "SecurityGroupIds"));
      c.putAll("sagemaker:VpcSubnets", Keys.texts(vpc, "Subnets"));
    }
    return c;
  }

  private RequestContext configKeys(ObjectNode in) {
    Set<String> types = new LinkedHashSet<>();
    Set<String> accelerators = new LinkedHashSet<>();
    Set<String> models = new LinkedHashSet<>();
    List<String> maxConcurrency = new ArrayList<>();
    List<String> memory = new ArrayList<>();
    for (String list : List.of("ProductionVariants", "ShadowProductionVariants")) {
      JsonNode variants = in.get(list);
      if (variants == null || !variants.isArray()) {
        continue;
      }
      for (JsonNode v : variants) {
        addText(types, v.get("InstanceType"));
        addText(accelerators, v.get("AcceleratorType"));
        if (v.hasNonNull("ModelName")) {
          models.add(arn("model", v.get("ModelName").asText()));
        }
        JsonNode pools = v.get("InstancePools");
        if (pools != null && pools.isArray()) {
          for (JsonNode p : pools) {
            addText(types, p.get("InstanceType"));
            if (p.hasNonNull("ModelNameOverride")) {
              models.add(arn("model", p.get("ModelNameOverride").asText()));
            }
          }
        }
        JsonNode serverless = v.get("ServerlessConfig");
        if (serverless != null && serverless.isObject()) {
          if (serverless.hasNonNull("MaxConcurrency")) {
            maxConcurrency.add(serverless.get("MaxConcurrency").asText());
          }
          if (serverless.hasNonNull("MemorySizeInMB")) {
            memory.add(serverless.get("MemorySizeInMB").asText());
          }
        }
      }
    }
    RequestContext c = new RequestContext();
    c.putAll("sagemaker:InstanceTypes", List.copyOf(types));
    if (!accelerators.isEmpty()) {
      c.putAll("sagemaker:AcceleratorTypes", List.copyOf(accelerators));
    }
    if (!models.isEmpty()) {
      c.putAll("sagemaker:ModelArn", List.copyOf(models));
    }
    if (in.hasNonNull("KmsKeyId")) {
      c.put("sagemaker:VolumeKmsKey", in.get("KmsKeyId").asText());
      c.put("sagemaker:VolumeKmsKeyArn", in.get("KmsKeyId").asText());
    }
    if (maxConcurrency.size() == 1) {
      c.put("sagemaker:ServerlessMaxConcurrency", maxConcurrency.getFirst());
    }
    if (memory.size() == 1) {
      c.put("sagemaker:ServerlessMemorySize", memory.getFirst());
    }
    return c;
  }

  private static void addText(Set<String> out, JsonNode value) {
    if (value != null && value.isTextual() && !value.asText().isEmpty()) {
      out.add(value.asText());
    }
  }
}
