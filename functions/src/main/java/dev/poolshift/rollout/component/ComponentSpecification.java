package dev.poolshift.rollout.component;

import dev.poolshift.rollout.JsonValues;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an inference component runs on one instance type: one entry of its {@code
 * Specifications} (or its single {@code Specification}, with {@code instanceType} null). The
 * model and the compute it reserves on each instance are what Poolshift interprets; every other
 * member ({@code Container}, {@code StartupParameters}, {@code SchedulingConfig}, fields newer
 * than our SDK) is carried unchanged under SageMaker's wire names.
 *
 * @param instanceType the type this entry is for; null for a single specification used on every
 *     type of the endpoint's pools
 * @param modelName the SageMaker model; null for an adapter component
 *     ({@code BaseInferenceComponentName} carried)
 * @param computeResourceRequirements {@code ComputeResourceRequirements} as on the wire
 *     ({@code MinMemoryRequiredInMb}, {@code NumberOfAcceleratorDevicesRequired}, ...)
 */
public record ComponentSpecification(
    String instanceType,
    String modelName,
    Map<String, Object> computeResourceRequirements,
    Map<String, Object> carried) {

  public ComponentSpecification {
    computeResourceRequirements = JsonValues.frozenMap(computeResourceRequirements);
    carried = JsonValues.frozenMap(carried);
  }

  /** The entry under SageMaker's wire names, as a record or a CLI call carries it. */
  public Map<String, Object> toWire() {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (instanceType != null) {
      entry.put("InstanceType", instanceType);
    }
    if (modelName != null) {
      entry.put("ModelName", modelName);
    }
    if (!computeResourceRequirements.isEmpty()) {
      entry.put("ComputeResourceRequirements", computeResourceRequirements);
    }
    carried.forEach(entry::putIfAbsent);
    return entry;
  }

  /** The entry {@link #toWire()} wrote. */
  @SuppressWarnings("unchecked")
  public static ComponentSpecification fromWire(Map<String, Object> wire) {
    Map<String, Object> rest = new LinkedHashMap<>(wire);
    Object type = rest.remove("InstanceType");
    Object model = rest.remove("ModelName");
    Object compute = rest.remove("ComputeResourceRequirements");
    return new ComponentSpecification((String) type, (String) model,
        compute instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), rest);
  }

  /** The same entry for {@code type}, running {@code model}. */
  public ComponentSpecification on(String type, String model) {
    return new ComponentSpecification(type, model, computeResourceRequirements, carried);
  }
}
