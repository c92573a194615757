package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.port.InferenceComponents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference components in memory, with SageMaker's rules the adapter documents: an update of a
 * component that is not InService is refused; an update leaves it Updating until a test
 * {@link #complete completes} or {@link #rollBack rolls it back}.
 */
public final class FakeInferenceComponents implements InferenceComponents {
  public final Map<String, ComponentState> components = new LinkedHashMap<>();
  /** Every update SageMaker accepted, in order. */
  public final List<ComponentUpdate> updates = new ArrayList<>();
  private final Map<String, List<ComponentSpecification>> before = new LinkedHashMap<>();
  /** Told of every accepted update, e.g. to schedule its end on a simulation. */
  public java.util.function.Consumer<ComponentUpdate> onUpdate = u -> { };

  public void put(ComponentState state) {
    components.put(state.name(), state);
  }

  @Override
  public List<String> onEndpoint(String endpointName) {
    return components.values().stream().filter(c -> c.endpointName().equals(endpointName))
        .map(ComponentState::name).toList();
  }

  @Override
  public ComponentState describe(String componentName) {
    ComponentState c = components.get(componentName);
    if (c == null) {
      throw new IncompatibleEndpointException("Could not find inference component "
          + componentName);
    }
    return c;
  }

  @Override
  public void update(ComponentUpdate update) {
    ComponentState c = describe(update.inferenceComponentName());
    if (!c.inService()) {
      throw new EndpointBusyException("Cannot update in-progress inference component "
          + c.name() + " (status " + c.status() + ").");
    }
    updates.add(update);
    before.put(c.name(), c.specifications());
    components.put(c.name(), with(c, "Updating", null, update.specifications()));
    onUpdate.accept(update);
  }

  /** The rolling update ends with every copy on the new specifications. */
  public void complete(String name) {
    ComponentState c = describe(name);
    components.put(name, with(c, "InService", null, c.specifications()));
  }

  /** SageMaker's auto-rollback: the previous specifications back, the reason said. */
  public void rollBack(String name, String reason) {
    ComponentState c = describe(name);
    components.put(name, with(c, "InService", reason, before.get(name)));
  }

  private static ComponentState with(ComponentState c, String status, String reason,
      List<ComponentSpecification> specs) {
    return new ComponentState(c.name(), c.endpointName(), c.variantName(), status, reason, specs,
        c.desiredCopies(), c.currentCopies(), c.copiesByType());
  }
}
