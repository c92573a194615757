package dev.poolshift.aws;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SageMaker's JSON wire shapes ⇄ domain records, for the calls whose fields the SDK does not
 * fully model. Fields the domain types are pulled out; every other field is carried as-is.
 */
final class SageMakerJson {
  /** DescribeEndpointConfig fields that are output-only: CreateEndpointConfig rejects them. */
  private static final Set<String> CONFIG_OUTPUT_ONLY = Set.of("EndpointConfigArn", "CreationTime");
  private static final Set<String> CONFIG_TYPED =
      Set.of("EndpointConfigName", "ProductionVariants", "Tags");
  private static final Set<String> VARIANT_TYPED = Set.of("VariantName", "ModelName",
      "InitialInstanceCount", "InstanceType", "InstancePools",
      "VariantInstanceProvisionTimeoutInSeconds", "InitialVariantWeight");

  private SageMakerJson() {}

  /** A DescribeEndpointConfig response (raw JSON) plus the config's tags. */
  static EndpointConfigSpec config(Map<String, Object> describe, Map<String, String> tags) {
    String name = string(describe, "EndpointConfigName", "DescribeEndpointConfig");
    List<VariantSpec> variants = new ArrayList<>();
    List<?> raw = list(describe, "ProductionVariants", "DescribeEndpointConfig");
    for (int i = 0; i < raw.size(); i++) {
      variants.add(variant(object(raw.get(i),
          "DescribeEndpointConfig.ProductionVariants[" + i + "]")));
    }
    Map<String, Object> carried = new LinkedHashMap<>();
    describe.forEach((k, v) -> {
      if (!CONFIG_TYPED.contains(k) && !CONFIG_OUTPUT_ONLY.contains(k)) {
        carried.put(k, v);
      }
    });
    return new EndpointConfigSpec(name, variants, tags, carried);
  }

  /** The CreateEndpointConfig request body for {@code spec}. */
  static Map<String, Object> createConfigBody(EndpointConfigSpec spec) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("EndpointConfigName", spec.name());
    body.put("ProductionVariants",
        spec.productionVariants().stream().map(SageMakerJson::variantBody).toList());
    body.putAll(spec.carried());
    if (!spec.tags().isEmpty()) {
      body.put("Tags", tagList(spec.tags()));
    }
    return body;
  }

  static List<Map<String, Object>> tagList(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> {
          Map<String, Object> tag = new LinkedHashMap<>();
          tag.put("Key", e.getKey());
          tag.put("Value", e.getValue());
          return tag;
        }).toList();
  }

  static VariantSpec variant(Map<?, ?> wire) {
    String where = "ProductionVariant";
    List<InstancePool> pools = new ArrayList<>();
    if (wire.get("InstancePools") != null) {
      List<?> raw = list(wire, "InstancePools", where);
      for (int i = 0; i < raw.size(); i++) {
        Map<?, ?> p = object(raw.get(i), where + ".InstancePools[" + i + "]");
        pools.add(new InstancePool(string(p, "InstanceType", where),
            integer(p, "Priority", where), optionalString(p, "ModelNameOverride")));
      }
    }
    Map<String, Object> carried = new LinkedHashMap<>();
    wire.forEach((k, v) -> {
      if (!VARIANT_TYPED.contains(String.valueOf(k))) {
        carried.put(String.valueOf(k), v);
      }
    });
    return new VariantSpec(string(wire, "VariantName", where), optionalString(wire, "ModelName"),
        optionalInteger(wire, "InitialInstanceCount"), optionalString(wire, "InstanceType"), pools,
        optionalInteger(wire, "VariantInstanceProvisionTimeoutInSeconds"),
        optionalDouble(wire, "InitialVariantWeight"), carried);
  }

  static Map<String, Object> variantBody(VariantSpec v) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("VariantName", v.variantName());
    putIfPresent(body, "ModelName", v.modelName());
    putIfPresent(body, "InitialInstanceCount", v.initialInstanceCount());
    putIfPresent(body, "InstanceType", v.instanceType());
    if (v.usesPools()) {
      body.put("InstancePools", v.instancePools().stream().map(p -> {
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("InstanceType", p.instanceType());
        pool.put("Priority", p.priority());
        putIfPresent(pool, "ModelNameOverride", p.modelNameOverride());
        return pool;
      }).toList());
    }
    putIfPresent(body, "VariantInstanceProvisionTimeoutInSeconds", v.provisionTimeoutSeconds());
    putIfPresent(body, "InitialVariantWeight", v.initialVariantWeight());
    body.putAll(v.carried());
    return body;
  }

  /** A DescribeEndpoint response (raw JSON, including per-variant InstancePools summaries). */
  static EndpointState endpoint(Map<String, Object> describe) {
    String where = "DescribeEndpoint";
    List<VariantState> variants = variantStates(describe.get("ProductionVariants"), where);
    String pendingConfig = null;
    List<VariantState> pendingVariants = List.of();
    if (describe.get("PendingDeploymentSummary") instanceof Map<?, ?> pending) {
      pendingConfig = optionalString(pending, "EndpointConfigName");
      pendingVariants = variantStates(pending.get("ProductionVariants"),
          where + ".PendingDeploymentSummary");
    }
    return new EndpointState(string(describe, "EndpointName", where),
        string(describe, "EndpointStatus", where), optionalString(describe, "EndpointConfigName"),
        optionalString(describe, "FailureReason"), variants, pendingConfig, pendingVariants);
  }

  private static List<VariantState> variantStates(Object raw, String where) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw unexpected(where + ".ProductionVariants is not an array");
    }
    List<VariantState> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = where + ".ProductionVariants[" + i + "]";
      Map<?, ?> v = object(list.get(i), at);
      List<PoolCount> pools = new ArrayList<>();
      if (v.get("InstancePools") != null) {
        List<?> rawPools = list(v, "InstancePools", at);
        for (int j = 0; j < rawPools.size(); j++) {
          Map<?, ?> p = object(rawPools.get(j), at + ".InstancePools[" + j + "]");
          pools.add(new PoolCount(string(p, "InstanceType", at),
              integer(p, "CurrentInstanceCount", at)));
        }
      }
      out.add(new VariantState(string(v, "VariantName", at), optionalDouble(v, "CurrentWeight"),
          optionalDouble(v, "DesiredWeight"), optionalInteger(v, "CurrentInstanceCount"),
          optionalInteger(v, "DesiredInstanceCount"), pools));
    }
    return out;
  }

  private static void putIfPresent(Map<String, Object> body, String key, Object value) {
    if (value != null) {
      body.put(key, value);
    }
  }

  private static Map<?, ?> object(Object value, String where) {
    if (value instanceof Map<?, ?> m) {
      return m;
    }
    throw unexpected(where + " is not an object");
  }

  private static List<?> list(Map<?, ?> m, String key, String where) {
    if (m.get(key) instanceof List<?> l) {
      return l;
    }
    throw unexpected(where + "." + key + " is missing or not an array");
  }

  private static String string(Map<?, ?> m, String key, String where) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw unexpected(where + "." + key + " is missing or not a string");
  }

  private static int integer(Map<?, ?> m, String key, String where) {
    Integer v = optionalInteger(m, key);
    if (v == null) {
      throw unexpected(where + "." + key + " is missing or not an integer");
    }
    return v;
  }

  private static String optionalString(Map<?, ?> m, String key) {
    return m.get(key) instanceof String s ? s : null;
  }

  private static Integer optionalInteger(Map<?, ?> m, String key) {
    // SageMaker events send counts as 3.0; accept integral decimals in responses too.
    return m.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        ? (int) n.doubleValue() : null;
  }

  private static Double optionalDouble(Map<?, ?> m, String key) {
    return m.get(key) instanceof Number n ? n.doubleValue() : null;
  }

  private static ServiceCallException unexpected(String what) {
    return new ServiceCallException("unexpected SageMaker response: " + what);
  }
}
