package dev.poolshift.local.sagemaker;

import java.util.Map;

/**
 * One inference component as the traffic model sees it: where its copies run and which model
 * each instance type runs.
 *
 * @param copiesByType copies per instance type ({@code RuntimeConfig.PlacementStatus})
 * @param modelByType the model each type runs (its {@code Specifications} entry, or the single
 *     {@code Specification} for every type)
 */
public record ComponentView(String name, String variantName, String status,
    Map<String, Integer> copiesByType, Map<String, String> modelByType) {

  public ComponentView {
    copiesByType = Map.copyOf(copiesByType);
    modelByType = Map.copyOf(modelByType);
  }
}
