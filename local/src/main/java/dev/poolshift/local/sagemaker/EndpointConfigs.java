package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.rollout.endpoint.InstanceTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Endpoint configs, stored as the JSON documents received so every member round-trips, including
 * the ones SDK 2.40.2 cannot see (InstancePools, VariantInstanceProvisionTimeoutInSeconds) and
 * the ones we do not interpret (AsyncInferenceConfig, DataCaptureConfig, KmsKeyId, ...).
 *
 * <p>Validation follows what AWS validates. For the instance-pool rules AWS leaves unconfirmed
 * (docs/sagemaker.md, "Instance pools on the wire") we enforce the harsher reading, so a config
 * accepted here should be accepted by AWS:
 * <ul>
 *   <li>a variant sets exactly one of {@code InstanceType} and {@code InstancePools};
 *   <li>a pool list has 2–5 entries, with unique priorities (1–5) and unique instance types;
 *   <li>no pools on shadow variants, nor together with ManagedInstanceScaling enabled;
 *   <li>{@code VariantInstanceProvisionTimeoutInSeconds} is 300–3600; it is accepted on a
 *       single-type variant but has no effect there (see the endpoint lifecycle).
 * </ul>
 * Serverless variants are rejected: the local runtime does not simulate them.
 */
final class EndpointConfigs {
  static final Pattern INSTANCE_TYPE = Pattern.compile("^ml\\.[a-z0-9\\-]+\\.[a-z0-9]+$");
  private static final Set<Integer> PUBLISH_FREQUENCIES = Set.of(10, 30, 60, 120, 180, 240, 300);
  /** Configs created from this day on have detailed observability unless they turn it off. */
  static final Instant DETAILED_OBSERVABILITY_SINCE = Instant.parse("2026-06-17T00:00:00Z");

  static final class Config {
    final String name;
    final String arn;
    final ObjectNode doc;
    final Instant created;
    final long seq;

    Config(String name, String arn, ObjectNode doc, Instant created, long seq) {
      this.name = name;
      this.arn = arn;
      this.doc = doc;
      this.created = created;
      this.seq = seq;
    }

    /** Production variants, then shadow variants, each with its shadow flag. */
    List<VariantSpec> variants() {
      List<VariantSpec> out = new ArrayList<>();
      doc.path("ProductionVariants").forEach(v -> out.add(new VariantSpec((ObjectNode) v, false)));
      doc.path("ShadowProductionVariants").forEach(v -> out.add(new VariantSpec((ObjectNode) v, true)));
      return out;
    }
  }

  record VariantSpec(ObjectNode doc, boolean shadow) {
    String name() {
      return doc.path("VariantName").asText();
    }
  }

  private final SageMakerWorld w;
  private final Map<String, Config> configs = new LinkedHashMap<>();

  EndpointConfigs(SageMakerWorld w) {
    this.w = w;
  }

  String arnOf(String name) {
    return w.arn("endpoint-config/" + Wire.lower(name));
  }

  ObjectNode create(ObjectNode req, Instant now) {
    String name = Wire.name(req, "EndpointConfigName", "");
    String arn = arnOf(name);
    if (configs.containsKey(Wire.lower(name))) {
      throw Errors.alreadyExists("endpoint configuration", arn);
    }
    validate(req);
    var tags = Tags.read(req, "");
    ObjectNode doc = req.deepCopy();
    for (String list : List.of("ProductionVariants", "ShadowProductionVariants")) {
      doc.path(list).forEach(v -> {
        if (!v.has("InitialVariantWeight")) {
          ((ObjectNode) v).put("InitialVariantWeight", 1.0);
        }
      });
    }
    if (!now.isBefore(DETAILED_OBSERVABILITY_SINCE)) {
      // "The default value for new endpoint configurations is True. For existing endpoint
      // configurations created before this feature, the value is False unless explicitly set"
      // (MetricsConfig, SageMaker API reference); DescribeEndpointConfig shows the value for the
      // configs created since. Older configs keep leaving it out.
      ObjectNode metrics = doc.has("MetricsConfig") ? (ObjectNode) doc.get("MetricsConfig")
          : doc.putObject("MetricsConfig");
      if (!metrics.has("EnableDetailedObservability")) {
        metrics.put("EnableDetailedObservability", true);
      }
    }
    Config c = new Config(name, arn, doc, now, w.nextSequence());
    configs.put(Wire.lower(name), c);
    w.tags.put(arn, tags);
    return LocalJson.object().put("EndpointConfigArn", arn);
  }

  ObjectNode describe(ObjectNode req) {
    Config c = require(Wire.requiredText(req, "EndpointConfigName", ""));
    ObjectNode n = LocalJson.object();
    n.setAll(c.doc.deepCopy());
    // DescribeEndpointConfig has no Tags member; tags are read with ListTags.
    n.remove("Tags");
    n.put("EndpointConfigName", c.name);
    n.put("EndpointConfigArn", c.arn);
    n.put("CreationTime", Wire.epochSeconds(c.created));
    return n;
  }

  ObjectNode delete(ObjectNode req) {
    Config c = require(Wire.requiredText(req, "EndpointConfigName", ""));
    // AWS lets you delete a config an endpoint uses: running endpoints keep their fleet,
    // but a deployment still waiting to switch to the config fails (see EndpointSimulator).
    configs.remove(Wire.lower(c.name));
    w.tags.drop(c.arn);
    return LocalJson.object();
  }

  ObjectNode list(ObjectNode req) {
    List<Config> all = new ArrayList<>(configs.values());
    all = Listing.filterName(all, req, c -> c.name);
    all = Listing.filterTime(all, req, "CreationTime", c -> c.created);
    Listing.Page<Config> page = Listing.page(Listing.sort(all, req, Map.of("Name", (Config c) -> c.name,
        "CreationTime", (Config c) -> Listing.time(c.created)), "CreationTime", "Descending", c -> c.seq), req);
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("EndpointConfigs");
    page.items().forEach(c -> list.addObject().put("EndpointConfigName", c.name).put("EndpointConfigArn", c.arn)
        .put("CreationTime", Wire.epochSeconds(c.created)));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  Config find(String name) {
    return configs.get(Wire.lower(name));
  }

  Config require(String name) {
    Config c = find(name);
    if (c == null) {
      throw Errors.validation("Could not find endpoint configuration \"" + arnOf(name) + "\".");
    }
    return c;
  }

  // ------------------------------------------------------------------ validation

  private void validate(ObjectNode req) {
    ArrayNode production = Wire.array(req, "ProductionVariants", "");
    if (production == null) {
      throw Errors.required("productionVariants");
    }
    if (production.isEmpty() || production.size() > 10) {
      throw Errors.constraint("productionVariants", production.size() + " variants",
          "Member must have length between 1 and 10");
    }
    ArrayNode shadow = Wire.array(req, "ShadowProductionVariants", "");
    if (shadow != null && (shadow.size() != 1 || production.size() != 1)) {
      throw Errors.validation("An endpoint config with ShadowProductionVariants must have exactly one "
          + "production variant and one shadow variant (has " + production.size() + " and " + shadow.size() + ").");
    }
    Set<String> names = new HashSet<>();
    double weights = 0;
    // An inference-component endpoint's variants name no model (the components do); SageMaker
    // then needs the config's ExecutionRoleArn to place components. The harsher reading: a
    // variant without ModelName is refused unless the config has one.
    boolean components = Wire.text(req, "ExecutionRoleArn", "") != null;
    for (int i = 0; i < production.size(); i++) {
      weights += validateVariant(Wire.elementObject(production, i, "", "ProductionVariants"),
          Wire.element("", "ProductionVariants", i), false, names, components);
    }
    if (shadow != null) {
      validateVariant(Wire.elementObject(shadow, 0, "", "ShadowProductionVariants"),
          Wire.element("", "ShadowProductionVariants", 0), true, names, components);
    }
    if (weights <= 0) {
      throw Errors.validation("The sum of InitialVariantWeight over the production variants must be greater "
          + "than 0: no variant could receive traffic.");
    }
    validateDataCapture(Wire.object(req, "DataCaptureConfig", ""));
    ObjectNode async = Wire.object(req, "AsyncInferenceConfig", "");
    if (async != null && Wire.object(async, "OutputConfig", "asyncInferenceConfig.") == null) {
      throw Errors.required("asyncInferenceConfig.outputConfig");
    }
    ObjectNode metrics = Wire.object(req, "MetricsConfig", "");
    if (metrics != null) {
      Integer f = Wire.integer(metrics, "MetricPublishFrequencyInSeconds", "metricsConfig.");
      if (f != null && !PUBLISH_FREQUENCIES.contains(f)) {
        throw Errors.constraint("metricsConfig.metricPublishFrequencyInSeconds", f,
            "Member must satisfy enum value set: [10, 30, 60, 120, 180, 240, 300]");
      }
    }
    String kms = Wire.text(req, "KmsKeyId", "");
    if (kms != null) {
      // "If you specify a value for KmsKeyId when using any nitro-based instances with local
      // storage, the call to CreateEndpointConfig fails" (CreateEndpointConfig, KmsKeyId). Which
      // types have local storage: the documented list behind InstanceTypes.
      for (int i = 0; i < production.size(); i++) {
        ObjectNode v = (ObjectNode) production.get(i);
        List<String> types = new ArrayList<>();
        if (v.hasNonNull("InstanceType")) {
          types.add(v.get("InstanceType").asText());
        }
        v.path("InstancePools").forEach(pool -> types.add(pool.path("InstanceType").asText()));
        for (String type : types) {
          if (InstanceTypes.localNvme(type)) {
            throw Errors.validation("KmsKeyId is not supported with instance type " + type
                + " of production variant " + v.path("VariantName").asText() + ": instances with"
                + " local storage encrypt it with a hardware module; remove KmsKeyId or use an"
                + " instance type without local storage.");
          }
        }
      }
    }
    Wire.text(req, "ExecutionRoleArn", "");
  }

  /** Validates one variant; returns its initial weight (default 1.0). */
  private double validateVariant(ObjectNode v, String p, boolean shadow, Set<String> names,
      boolean components) {
    String name = Wire.name(v, "VariantName", p);
    if (!names.add(Wire.lower(name))) {
      throw Errors.validation("Variant name " + name + " is used by more than one variant; variant names must "
          + "be unique within an endpoint configuration (" + Wire.path(p, "VariantName") + ").");
    }
    if (v.has("ServerlessConfig")) {
      throw Errors.validation("ServerlessConfig (" + Wire.path(p, "ServerlessConfig") + ") is not simulated by "
          + "the Poolshift local runtime; use instance-based variants.");
    }
    String modelName = Wire.text(v, "ModelName", p);
    if (modelName == null && !components) {
      throw Errors.required(Wire.path(p, "ModelName"));
    }
    if (modelName != null) {
      w.models.require(modelName);
    }
    String type = Wire.text(v, "InstanceType", p);
    ArrayNode pools = Wire.array(v, "InstancePools", p);
    if (type != null && pools != null) {
      throw Errors.validation("Specify either InstanceType or InstancePools for production variant " + name
          + ", not both (" + Wire.path(p, "InstanceType") + ").");
    }
    if (type == null && pools == null) {
      throw Errors.validation("Production variant " + name + " needs an InstanceType or InstancePools ("
          + Wire.path(p, "InstanceType") + ").");
    }
    if (type != null) {
      checkInstanceType(type, Wire.path(p, "InstanceType"));
    }
    Integer count = Wire.integer(v, "InitialInstanceCount", p);
    if (count == null) {
      throw Errors.required(Wire.path(p, "InitialInstanceCount"));
    }
    Wire.checkRange(count, Wire.path(p, "InitialInstanceCount"), 1, 1000);
    Double weight = Wire.number(v, "InitialVariantWeight", p);
    if (weight != null && weight < 0) {
      throw Errors.constraint(Wire.path(p, "InitialVariantWeight"), weight,
          "Member must have value greater than or equal to 0");
    }
    Wire.integerInRange(v, "VariantInstanceProvisionTimeoutInSeconds", p, 300, 3600);
    Wire.integerInRange(v, "ModelDataDownloadTimeoutInSeconds", p, 60, 3600);
    Wire.integerInRange(v, "ContainerStartupHealthCheckTimeoutInSeconds", p, 60, 3600);
    Wire.integerInRange(v, "VolumeSizeInGB", p, 1, 512);
    ObjectNode routing = Wire.object(v, "RoutingConfig", p);
    if (routing != null) {
      Wire.oneOf(routing, "RoutingStrategy", Wire.path(p, "RoutingConfig") + ".",
          "LEAST_OUTSTANDING_REQUESTS", "RANDOM", "PREFIX_AWARE");
    }
    if (pools != null) {
      if (shadow) {
        throw Errors.validation("InstancePools are not supported on shadow variants ("
            + Wire.path(p, "InstancePools") + ").");
      }
      ObjectNode mis = Wire.object(v, "ManagedInstanceScaling", p);
      if (mis != null && "ENABLED".equals(mis.path("Status").asText())) {
        throw Errors.validation("InstancePools cannot be combined with ManagedInstanceScaling ("
            + Wire.path(p, "InstancePools") + ").");
      }
      validatePools(pools, p);
    }
    checkHardwareSettings(v, p, name);
    return weight == null ? 1.0 : weight;
  }

  /**
   * Settings tied to one kind of hardware. The API reference does not say how they combine with
   * local-storage types or several types; the harsher reading each time: VolumeSizeInGB (an
   * EBS volume) not with a type that has local NVMe storage; a GPU InferenceAmiVersion only on
   * ml.g* and ml.p* types; CapacityReservationConfig (one reserved type) not with pools.
   */
  private static void checkHardwareSettings(ObjectNode v, String p, String name) {
    List<String> types = new ArrayList<>();
    if (v.hasNonNull("InstanceType")) {
      types.add(v.get("InstanceType").asText());
    }
    v.path("InstancePools").forEach(pool -> types.add(pool.path("InstanceType").asText()));
    if (v.hasNonNull("VolumeSizeInGB")) {
      for (String type : types) {
        if (InstanceTypes.localNvme(type)) {
          throw Errors.validation("VolumeSizeInGB (" + Wire.path(p, "VolumeSizeInGB") + ") is not supported"
              + " with instance type " + type + " of production variant " + name + ", which has local"
              + " instance storage.");
        }
      }
    }
    String ami = v.path("InferenceAmiVersion").asText("");
    if (ami.contains("-gpu-")) {
      for (String type : types) {
        String family = type.startsWith("ml.") ? type.substring(3) : type;
        if (!family.startsWith("g") && !family.startsWith("p")) {
          throw Errors.validation("InferenceAmiVersion " + ami + " (" + Wire.path(p, "InferenceAmiVersion")
              + ") requires GPU instance types; " + type + " of production variant " + name + " has none.");
        }
      }
    }
    if (v.has("CapacityReservationConfig") && v.has("InstancePools")) {
      throw Errors.validation("CapacityReservationConfig (" + Wire.path(p, "CapacityReservationConfig")
          + ") cannot be combined with InstancePools on production variant " + name + ".");
    }
  }

  private void validatePools(ArrayNode pools, String p) {
    String path = Wire.path(p, "InstancePools");
    if (pools.size() < 2 || pools.size() > 5) {
      throw Errors.constraint(path, pools.size() + " pools", "Member must have length between 2 and 5");
    }
    Set<Integer> priorities = new HashSet<>();
    Set<String> types = new HashSet<>();
    for (int i = 0; i < pools.size(); i++) {
      ObjectNode pool = Wire.elementObject(pools, i, p, "InstancePools");
      String pp = Wire.element(p, "InstancePools", i);
      String type = Wire.requiredText(pool, "InstanceType", pp);
      checkInstanceType(type, Wire.path(pp, "InstanceType"));
      Integer priority = Wire.integer(pool, "Priority", pp);
      if (priority == null) {
        throw Errors.required(Wire.path(pp, "Priority"));
      }
      Wire.checkRange(priority, Wire.path(pp, "Priority"), 1, 5);
      if (!priorities.add(priority)) {
        throw Errors.validation("Priority " + priority + " is used by more than one instance pool ("
            + Wire.path(pp, "Priority") + "); priorities must be unique.");
      }
      if (!types.add(type)) {
        throw Errors.validation("Instance type " + type + " appears in more than one instance pool ("
            + Wire.path(pp, "InstanceType") + ").");
      }
      String override = Wire.text(pool, "ModelNameOverride", pp);
      if (override != null) {
        w.models.require(override);
      }
    }
  }

  /**
   * ProductionVariantInstanceType is an enum: any other value fails validation, however much it
   * looks like {@code ml.<family>.<size>}. The accepted values are the documented list behind
   * {@link InstanceTypes} ({@code sagemaker/instance-types.txt} in the functions module).
   */
  private static void checkInstanceType(String type, String path) {
    if (!INSTANCE_TYPE.matcher(type).matches() || !InstanceTypes.known(type)) {
      throw Errors.constraint(path, type, "Member must satisfy enum value set: "
          + InstanceTypes.all());
    }
  }

  private static void validateDataCapture(ObjectNode dc) {
    if (dc == null) {
      return;
    }
    String p = "dataCaptureConfig.";
    Integer pct = Wire.integer(dc, "InitialSamplingPercentage", p);
    if (pct == null) {
      throw Errors.required(p + "initialSamplingPercentage");
    }
    Wire.checkRange(pct, p + "initialSamplingPercentage", 0, 100);
    Wire.requiredText(dc, "DestinationS3Uri", p);
    ArrayNode options = Wire.array(dc, "CaptureOptions", p);
    if (options == null || options.isEmpty() || options.size() > 2) {
      throw Errors.constraint(p + "captureOptions", options == null ? null : options.size(),
          "Member must have length between 1 and 2");
    }
    for (int i = 0; i < options.size(); i++) {
      Wire.oneOf(Wire.elementObject(options, i, p, "CaptureOptions"), "CaptureMode",
          Wire.element(p, "CaptureOptions", i), "Input", "Output", "InputAndOutput");
    }
  }
}
