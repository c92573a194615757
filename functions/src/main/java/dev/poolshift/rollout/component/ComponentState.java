package dev.poolshift.rollout.component;

import java.util.List;
import java.util.Map;

/**
 * An inference component as {@code DescribeInferenceComponent} reports it.
 *
 * @param variantName the endpoint variant it is placed on
 * @param status {@code InService}, {@code Creating}, {@code Updating}, {@code Failed} or
 *     {@code Deleting}
 * @param failureReason why its last update did not take (a rolled-back update says so here);
 *     null when none
 * @param specifications its {@code Specifications}, or its single {@code Specification} (one
 *     entry, {@code instanceType} null)
 * @param copiesByType {@code RuntimeConfig.PlacementStatus}: the copies running per instance type
 */
public record ComponentState(
    String name,
    String endpointName,
    String variantName,
    String status,
    String failureReason,
    List<ComponentSpecification> specifications,
    Integer desiredCopies,
    Integer currentCopies,
    Map<String, Integer> copiesByType) {

  public static final String IN_SERVICE = "InService";

  public ComponentState {
    specifications = specifications == null ? List.of() : List.copyOf(specifications);
    copiesByType = copiesByType == null ? Map.of() : Map.copyOf(copiesByType);
  }

  public boolean inService() {
    return IN_SERVICE.equals(status);
  }

  /** The models it runs, one per entry, in entry order (null for an adapter's entry). */
  public List<String> modelNames() {
    return specifications.stream().map(ComponentSpecification::modelName).toList();
  }
}
