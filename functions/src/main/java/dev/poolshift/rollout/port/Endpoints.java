package dev.poolshift.rollout.port;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import java.util.Map;

/** Endpoints and their configs, including instance pools. */
public interface Endpoints {
  /** @throws dev.poolshift.rollout.EndpointNotFoundException when there is no such endpoint */
  EndpointState describe(String endpointName);

  /**
   * The endpoint's own tags (ListTags on the endpoint ARN; a config's tags are its own).
   *
   * @throws dev.poolshift.rollout.EndpointNotFoundException when there is no such endpoint
   */
  Map<String, String> endpointTags(String endpointName);

  /**
   * The config with its tags.
   *
   * @throws dev.poolshift.rollout.EndpointConfigNotFoundException when there is no such config
   */
  EndpointConfigSpec describeConfig(String endpointConfigName);

  /**
   * Creates the config exactly as given. Idempotent: a config of that name tagged with the same
   * {@code poolshift:deployment} and the same variants counts as created; anything else is a
   * {@link dev.poolshift.rollout.ResourceConflictException}.
   */
  void createConfig(EndpointConfigSpec config);

  /** @throws dev.poolshift.rollout.EndpointBusyException when the endpoint is mid-update */
  void update(EndpointUpdate update);

  /** Deletes the config; one that is already gone counts as deleted. Returns whether it existed. */
  boolean deleteConfig(String endpointConfigName);
}
