package dev.poolshift.rollout.component;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.endpoint.InstancePool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Computes the {@code UpdateInferenceComponent} that rolls a new version of an inference
 * component out on an endpoint whose variant runs on instance pools. On such an endpoint the
 * endpoint config carries the pools and the component says what runs on each type: one
 * {@code Specifications} entry per pool type, in pool order, each with the new version's build
 * for that hardware and the compute it reserves there. Rules:
 * <ul>
 *   <li>a component with one {@code Specification} used it on every type (as documented): each
 *       type gets a copy of it, with that type's build;
 *   <li>a component with per-type {@code Specifications} keeps each type's compute; a pool type
 *       it has no entry for is refused by name, since what the model needs on that hardware is
 *       not known (the harsher reading: no copying from another type's entry);
 *   <li>entries for types the pools no longer list are dropped;
 *   <li>the rollout is SageMaker's rolling update: batches of the profile's first canary step
 *       (held within the 5–50% SageMaker allows), each baked {@code bakeSeconds} (at most 3600)
 *       under the auto-rollback alarms (at most 10); rollback puts every copy back at once.
 * </ul>
 */
public final class ComponentRollout {
  static final int MIN_BATCH_PERCENT = 5;
  static final int MAX_BATCH_PERCENT = 50;
  static final int MAX_WAIT_SECONDS = 3600;
  static final int MIN_EXECUTION_SECONDS = 600;
  static final int MAX_EXECUTION_SECONDS = 28800;
  /** Per batch, beside its bake: new copies placed and started. */
  static final int BATCH_START_SECONDS = 600;
  static final int MAX_AUTO_ROLLBACK_ALARMS = 10;
  static final String BASE_COMPONENT = "BaseInferenceComponentName";
  static final String CONTAINER = "Container";
  /** Container members that fix what runs: the image and the model artifacts. */
  static final List<String> PINNED = List.of("Image", "DeployedImage", "ArtifactUrl");

  private ComponentRollout() {}

  /**
   * @param current the component's specification(s) now
   * @param pools the endpoint variant's pools
   * @param mainModel the new version's model, for types without their own build
   * @param perPoolModels the new version's per-hardware builds, by instance type
   * @param firstStepPercent the profile's first canary step, the batch size
   * @throws IncompatibleEndpointException for an adapter component or one without specification
   * @throws dev.poolshift.rollout.InvalidInputException naming {@code instancePools} or
   *     {@code bakeSeconds} when the profile cannot be applied to this component
   */
  public static ComponentUpdate plan(String componentName, List<ComponentSpecification> current,
      List<InstancePool> pools, String mainModel, Map<String, String> perPoolModels,
      int firstStepPercent, int bakeSeconds, List<String> alarms) {
    if (current.isEmpty()) {
      throw new IncompatibleEndpointException("inference component " + componentName
          + " has no Specification; nothing says what it runs");
    }
    for (ComponentSpecification s : current) {
      if (s.modelName() == null && s.carried().containsKey(BASE_COMPONENT)) {
        throw new IncompatibleEndpointException("inference component " + componentName
            + " is an adapter (no ModelName); it follows its base component and is not rolled"
            + " out on its own");
      }
      if (s.modelName() == null) {
        throw new IncompatibleEndpointException("inference component " + componentName
            + " runs a container directly (Container, no ModelName); a model package version"
            + " is deployed as a model, so there is nothing to put it in");
      }
      if (s.carried().get(CONTAINER) instanceof Map<?, ?> container
          && PINNED.stream().anyMatch(container::containsKey)) {
        // An image or artifacts kept beside the new model would run the old version's under
        // it, and DescribeInferenceComponent reports the image as deployed (DeployedImage),
        // which Update does not take. Whether SageMaker would let the model's own image win
        // is not documented: harsher reading, refuse and name the field. A container that
        // only sets Environment is carried.
        throw new IncompatibleEndpointException("inference component " + componentName
            + " sets Container " + PINNED.stream().filter(container::containsKey).toList()
            + " beside ModelName " + s.modelName() + "; the container would stay the old"
            + " version's under the new model. Move its image and artifacts into the model and"
            + " remove them from the component first");
      }
    }
    FieldErrors errors = new FieldErrors();
    boolean single = current.size() == 1 && current.getFirst().instanceType() == null;
    List<ComponentSpecification> next = new ArrayList<>();
    List<InstancePool> ordered = pools.stream()
        .sorted(Comparator.comparingInt(InstancePool::priority)).toList();
    for (InstancePool pool : ordered) {
      String type = pool.instanceType();
      String model = perPoolModels.getOrDefault(type, mainModel);
      ComponentSpecification base = single ? current.getFirst() : current.stream()
          .filter(s -> type.equals(s.instanceType())).findFirst().orElse(null);
      if (base == null) {
        errors.add("instancePools", "inference component " + componentName + " has no"
            + " Specifications entry for " + type + ", so the compute it needs there is not"
            + " known; add one for " + type + " to the component, or leave " + type
            + " out of the pools");
        continue;
      }
      next.add(base.on(type, model));
    }
    int batch = Math.clamp(firstStepPercent, MIN_BATCH_PERCENT, MAX_BATCH_PERCENT);
    int wait = Math.min(bakeSeconds, MAX_WAIT_SECONDS);
    int batches = (100 + batch - 1) / batch;
    long needed = (long) batches * (wait + BATCH_START_SECONDS);
    if (needed > MAX_EXECUTION_SECONDS) {
      errors.add("bakeSeconds", batches + " batches of " + batch + "% baked " + wait + " s each"
          + " take " + needed + " s with their starts; SageMaker ends a rolling update after "
          + MAX_EXECUTION_SECONDS + " s; bake at most "
          + (MAX_EXECUTION_SECONDS / batches - BATCH_START_SECONDS) + " s, or start with a"
          + " larger step");
    }
    errors.throwIfAny("cannot roll inference component " + componentName + " out on pools");
    return new ComponentUpdate(componentName, next, batch, wait,
        (int) Math.max(MIN_EXECUTION_SECONDS, needed), 100,
        alarms.stream().distinct().limit(MAX_AUTO_ROLLBACK_ALARMS).toList());
  }
}
