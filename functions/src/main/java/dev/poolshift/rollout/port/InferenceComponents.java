package dev.poolshift.rollout.port;

import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import java.util.List;

/** The inference components placed on an endpoint. */
public interface InferenceComponents {
  /** No inference components anywhere: every endpoint is model-based. */
  InferenceComponents NONE = new InferenceComponents() {
    @Override
    public List<String> onEndpoint(String endpointName) {
      return List.of();
    }

    @Override
    public ComponentState describe(String componentName) {
      throw new dev.poolshift.rollout.IncompatibleEndpointException("no inference component "
          + componentName);
    }

    @Override
    public void update(ComponentUpdate update) {
      throw new dev.poolshift.rollout.IncompatibleEndpointException("no inference component "
          + update.inferenceComponentName());
    }
  };

  /** The names of the components on the endpoint, every status included, oldest first. */
  List<String> onEndpoint(String endpointName);

  /**
   * @throws dev.poolshift.rollout.IncompatibleEndpointException when there is no such component
   */
  ComponentState describe(String componentName);

  /** {@code UpdateInferenceComponent}: the new specifications under the rolling update. */
  void update(ComponentUpdate update);
}
