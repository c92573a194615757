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

  /**
   * UpdateEndpoint, idempotent for retries: reads the endpoint first and does not repeat an
   * update it already runs or deploys.
   *
   * @throws dev.poolshift.rollout.EndpointBusyException when the endpoint is mid-update
   */
  void update(EndpointUpdate update);

  /**
   * As {@link #update(EndpointUpdate)}, judged against {@code current}: the DescribeEndpoint the
   * caller has just made, so the endpoint is not read twice for one move.
   */
  default void update(EndpointUpdate update, EndpointState current) {
    update(update);
  }

  /**
   * The models a config references (DescribeEndpointConfig alone: no tags).
   *
   * @throws dev.poolshift.rollout.EndpointConfigNotFoundException when there is no such config
   */
  default java.util.Set<String> modelNamesOf(String endpointConfigName) {
    return describeConfig(endpointConfigName).modelNames();
  }

  /** Deletes the config; one that is already gone counts as deleted. Returns whether it existed. */
  boolean deleteConfig(String endpointConfigName);

  /**
   * As {@link #deleteConfig}, for a config the caller knows was created (one call instead of a
   * read and a delete); one found gone after all still counts as deleted.
   */
  default boolean deleteExistingConfig(String endpointConfigName) {
    return deleteConfig(endpointConfigName);
  }
}
