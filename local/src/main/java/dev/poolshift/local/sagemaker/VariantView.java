package dev.poolshift.local.sagemaker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A production (or shadow) variant of an endpoint's active fleet.
 *
 * @param instances every instance the variant holds (launching, serving, terminating); during a
 *     blue/green update the new fleet is in {@link EndpointView#pendingVariants()} instead
 */
public record VariantView(String name, boolean shadow, double currentWeight, double desiredWeight,
    int currentInstanceCount, int desiredInstanceCount, List<InstanceView> instances) {

  public VariantView {
    instances = List.copyOf(instances);
  }

  /** Instances that receive traffic now. */
  public List<InstanceView> servingInstances() {
    return instances.stream().filter(InstanceView::serving).toList();
  }

  /** Serving instances per instance type, in pool order of first appearance (the pool mix). */
  public Map<String, Integer> servingByInstanceType() {
    Map<String, Integer> m = new LinkedHashMap<>();
    servingInstances().forEach(i -> m.merge(i.instanceType(), 1, Integer::sum));
    return m;
  }

  /**
   * Serving instances per model version ("which model version serves"): the model package ARN, or
   * {@code model:<name>} for a model built from an image rather than from the registry.
   */
  public Map<String, Integer> servingByModelPackage() {
    Map<String, Integer> m = new LinkedHashMap<>();
    servingInstances().forEach(i -> m.merge(i.modelVersionKey(), 1, Integer::sum));
    return m;
  }
}
