package dev.poolshift.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.cloudwatch.ServingSlice;
import dev.poolshift.local.cloudwatch.TrafficSource;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.ComponentView;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.InstanceView;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import dev.poolshift.local.sagemaker.VariantView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What serves each simulated endpoint's traffic, read from the SageMaker simulator for the
 * CloudWatch traffic model: the current variants' weights, and within each variant the serving
 * instances grouped by instance type, model version and endpoint config.
 */
final class SageMakerTrafficSource implements TrafficSource {
  /** Statuses in which the current fleet serves (during an update the old fleet keeps serving). */
  private static final Set<String> SERVING = Set.of("InService", "Updating", "SystemUpdating", "RollingBack");

  private final SageMakerWorld world;

  SageMakerTrafficSource(SageMakerWorld world) {
    this.world = world;
  }

  @Override
  public Set<String> endpoints() {
    Set<String> names = new LinkedHashSet<>();
    for (EndpointView e : world.endpoints()) {
      if (SERVING.contains(e.status())) {
        names.add(e.name());
      }
    }
    return names;
  }

  @Override
  public boolean lists(String endpointName) {
    return world.endpoint(endpointName).filter(e -> SERVING.contains(e.status())).isPresent();
  }

  @Override
  public List<ServingSlice> serving(String endpointName) {
    EndpointView endpoint = world.endpoint(endpointName).orElse(null);
    if (endpoint == null || !SERVING.contains(endpoint.status())) {
      return List.of();
    }
    double totalWeight = endpoint.variants().stream().filter(v -> !v.shadow()).mapToDouble(VariantView::currentWeight).sum();
    List<ServingSlice> slices = new ArrayList<>();
    for (VariantView v : endpoint.variants()) {
      if (v.shadow() || totalWeight <= 0) {
        continue;
      }
      double share = v.currentWeight() / totalWeight;
      List<ComponentView> components = world.componentsOn(endpointName).stream()
          .filter(c -> c.variantName().equals(v.name())).toList();
      if (!components.isEmpty()) {
        // An inference-component variant: its traffic is served by the components' copies,
        // each type running the model its specification names there.
        for (ComponentView c : components) {
          c.copiesByType().forEach((type, copies) -> {
            String model = c.modelByType().get(type);
            String version = model == null ? "model:" + c.name()
                : world.modelPackageOfModel(model).orElse("model:" + model);
            slices.add(new ServingSlice(v.name(), share, type, copies, version, endpoint.configName(), c.name()));
          });
        }
        continue;
      }
      Map<List<String>, Integer> groups = new LinkedHashMap<>();
      for (InstanceView i : v.servingInstances()) {
        groups.merge(List.of(i.instanceType(), i.modelVersionKey(), i.endpointConfigName()), 1, Integer::sum);
      }
      groups.forEach((k, count) -> slices.add(new ServingSlice(v.name(), share, k.get(0), count, k.get(1), k.get(2))));
    }
    return slices;
  }

  @Override
  public boolean asynchronous(String endpointName) {
    EndpointView endpoint = world.endpoint(endpointName).orElse(null);
    if (endpoint == null || endpoint.configName() == null) {
      return false;
    }
    JsonNode config = world.invoke("DescribeEndpointConfig",
        LocalJson.object().put("EndpointConfigName", endpoint.configName()));
    return config.has("AsyncInferenceConfig");
  }

  @Override
  public int metricPublishSeconds(String endpointName) {
    EndpointView endpoint = world.endpoint(endpointName).orElse(null);
    if (endpoint == null || endpoint.configName() == null) {
      return 60;
    }
    JsonNode config = world.invoke("DescribeEndpointConfig",
        LocalJson.object().put("EndpointConfigName", endpoint.configName()));
    JsonNode metrics = config.path("MetricsConfig");
    if (metrics.path("EnableEnhancedMetrics").asBoolean(false) && metrics.has("MetricPublishFrequencyInSeconds")) {
      return metrics.get("MetricPublishFrequencyInSeconds").asInt(60);
    }
    return 60;
  }
}
