package dev.poolshift.rollout.port;

import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.port.ScalingTargets.ScalingSetup;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Live coordination state (the {@code STATE_TABLE}): endpoint locks, active rollouts, parked
 * task tokens and alarm mappings. Reads are strongly consistent: a step that parks a token and
 * then reads the rollout's stop request, and a handler that sets the stop request and then reads
 * the token, cannot both miss each other.
 */
public interface RolloutStore {
  /**
   * Atomically takes the endpoint's lock and writes the active-rollout record and the alarm
   * mappings. Idempotent: the lock's owner taking it again succeeds.
   *
   * @throws dev.poolshift.rollout.EndpointLockedException when another execution holds it
   */
  void lock(EndpointLock lock, ActiveRollout rollout, List<AlarmMapping> alarms);

  Optional<EndpointLock> lockOf(String endpointName);

  /** Every lock held (the reconciler's sweep; a handful of items). */
  List<EndpointLock> locks();

  /**
   * Keeps the variant's auto scaling setup on the owner's lock (the workflow and the reconciler
   * both find it there), replacing one kept before; false when {@code owner} holds no lock.
   */
  boolean keepScaling(String endpointName, String owner, ScalingTargets.ScalingSetup setup);

  /** Releases the lock if {@code owner} holds it; false when it did not. */
  boolean unlock(String endpointName, String owner);

  Optional<ActiveRollout> rollout(String endpointName);

  /** Records where the owner's rollout is; false when the endpoint has no rollout of its. */
  boolean setPhase(String endpointName, String owner, RolloutPhase phase, Integer stepIndex);

  /** Appends to the owner's rollout history; false when the endpoint has no rollout of its. */
  boolean appendHistory(String endpointName, String owner, HistoryEntry entry);

  /**
   * Adds {@code retries} to the SageMaker retries the owner's rollout counted (the ledger reports
   * them); false when the endpoint has no rollout of its.
   */
  boolean addSageMakerRetries(String endpointName, String owner, int retries);

  /** Asks the owner's rollout to turn around; false when the endpoint has no rollout of its. */
  boolean requestStop(String endpointName, String owner, StopRequest stop);

  boolean deleteRollout(String endpointName, String owner);

  /** Parks a token, replacing any earlier one of the same kind on the endpoint. */
  void register(TokenRegistration registration);

  Optional<TokenRegistration> registration(String endpointName, TokenKind kind);

  /** Deletes the registration only if it still holds {@code token}; false otherwise. */
  boolean deregister(String endpointName, TokenKind kind, TaskToken token);

  /** Deletes the registration only if {@code owner} parked it; false otherwise. */
  boolean deregisterOwned(String endpointName, TokenKind kind, String owner);

  /**
   * Notes that the endpoint settled while no wait was parked on it (an endpoint event that found
   * no token, or a move that sent nothing), so the next wait looks at the endpoint itself
   * instead of waiting for an event that already came. Replaces an earlier note.
   */
  void markSettled(String endpointName, Instant at);

  /** Takes the settle note (reads and removes it in one step): when it was noted, if any. */
  Optional<Instant> takeSettled(String endpointName);

  /**
   * Records that the event {@code eventId} reports the change {@code sighting} of the endpoint;
   * false when another event reported it first (a copy: SageMaker may send one change several
   * times). The same event delivered again (Lambda's retry) is not a copy. Kept for an hour from
   * {@code at}.
   */
  boolean firstSighting(String endpointName, String sighting, String eventId, Instant at);

  /** Parks an execution until the endpoint is let go of; replaces the owner's earlier one. */
  void registerWaiter(Waiter waiter);

  /** Every execution parked on the endpoint, oldest first. */
  List<Waiter> waiters(String endpointName);

  /** Deletes the owner's waiter on the endpoint; false when there was none. */
  boolean deregisterWaiter(String endpointName, String owner);

  /** Asks the owner's rollout to promote at its next gate; the first request wins. */
  void requestPromotion(Promotion promotion);

  Optional<Promotion> promotion(String endpointName);

  /** Deletes the promotion request for the owner's rollout; false when there was none. */
  boolean deletePromotion(String endpointName, String owner);

  Optional<AlarmMapping> alarmMapping(String alarmName);

  /** Deletes the mappings of these alarms that point at the owner's rollout. */
  void deleteAlarmMappings(List<String> alarmNames, String owner);
}
