package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.AlarmMapping;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.Promotion;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.port.Waiter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The state table in memory, with the same owner conditions as the DynamoDB adapter. */
public final class InMemoryRolloutStore implements RolloutStore {
  public final Map<String, EndpointLock> locks = new LinkedHashMap<>();
  public final Map<String, ActiveRollout> rollouts = new LinkedHashMap<>();
  public final Map<String, TokenRegistration> tokens = new LinkedHashMap<>();
  public final Map<String, AlarmMapping> alarms = new LinkedHashMap<>();
  public final Map<String, Waiter> waiters = new LinkedHashMap<>();
  public final Map<String, Promotion> promotions = new LinkedHashMap<>();
  public final Map<String, java.time.Instant> settled = new LinkedHashMap<>();
  /** The event that first reported each endpoint change: "endpoint sighting" to event id. */
  public final Map<String, String> sightings = new LinkedHashMap<>();
  /** How many times every lock was read at once (a Scan of the state table). */
  public int lockScans;

  @Override
  public void lock(EndpointLock lock, ActiveRollout rollout, List<AlarmMapping> mappings) {
    EndpointLock held = locks.get(lock.endpointName());
    if (held != null && !held.owner().equals(lock.owner())) {
      throw EndpointLockedException.lockedBy(lock.endpointName(), held.owner());
    }
    locks.put(lock.endpointName(), lock);
    rollouts.put(lock.endpointName(), rollout);
    mappings.forEach(m -> alarms.put(m.alarmName(), m));
  }

  @Override
  public Optional<EndpointLock> lockOf(String endpointName) {
    return Optional.ofNullable(locks.get(endpointName));
  }

  @Override
  public List<EndpointLock> locks() {
    lockScans++;
    return new ArrayList<>(locks.values());
  }

  @Override
  public boolean keepScaling(String endpointName, String owner, ScalingTargets.ScalingSetup setup) {
    EndpointLock held = locks.get(endpointName);
    if (held == null || !held.owner().equals(owner)) {
      return false;
    }
    locks.put(endpointName, new EndpointLock(held.endpointName(), held.owner(), held.executionArn(),
        held.modelPackageArn(), held.acquiredAt(), setup));
    return true;
  }

  @Override
  public boolean unlock(String endpointName, String owner) {
    EndpointLock held = locks.get(endpointName);
    if (held == null || !held.owner().equals(owner)) {
      return false;
    }
    locks.remove(endpointName);
    return true;
  }

  @Override
  public Optional<ActiveRollout> rollout(String endpointName) {
    return Optional.ofNullable(rollouts.get(endpointName));
  }

  @Override
  public boolean setPhase(String endpointName, String owner, RolloutPhase phase,
      Integer stepIndex) {
    return change(endpointName, owner, r -> copy(r, phase,
        stepIndex == null ? r.stepIndex() : stepIndex, r.stop(), r.history()));
  }

  @Override
  public boolean appendHistory(String endpointName, String owner, HistoryEntry entry) {
    return change(endpointName, owner, r -> {
      List<HistoryEntry> h = new ArrayList<>(r.history());
      h.add(entry);
      return copy(r, r.phase(), r.stepIndex(), r.stop(), h);
    });
  }

  @Override
  public boolean addSageMakerRetries(String endpointName, String owner, int retries) {
    return change(endpointName, owner, r -> new ActiveRollout(r.endpointName(), r.executionName(),
        r.executionArn(), r.modelPackageArn(), r.baselineConfigName(), r.baselineVariantName(),
        r.baselineWeight(), r.canaryConfigName(), r.canaryVariantName(), r.finalConfigName(), r.models(),
        r.alarmNames(), r.managedAlarmNames(), r.trigger(), r.startedAt(), r.phase(), r.stepIndex(), r.stop(),
        r.history(), r.sageMakerRetries() + retries));
  }

  @Override
  public boolean requestStop(String endpointName, String owner, StopRequest stop) {
    return change(endpointName, owner, r -> copy(r, r.phase(), r.stepIndex(),
        r.stop() == null ? stop : r.stop(), r.history()));
  }

  @Override
  public boolean deleteRollout(String endpointName, String owner) {
    ActiveRollout r = rollouts.get(endpointName);
    if (r == null || !r.ownedBy(owner)) {
      return false;
    }
    rollouts.remove(endpointName);
    return true;
  }

  @Override
  public void register(TokenRegistration registration) {
    tokens.put(key(registration.endpointName(), registration.kind()), registration);
  }

  @Override
  public void markSettled(String endpointName, java.time.Instant at) {
    settled.put(endpointName, at);
  }

  @Override
  public Optional<java.time.Instant> takeSettled(String endpointName) {
    return Optional.ofNullable(settled.remove(endpointName));
  }

  @Override
  public Optional<TokenRegistration> registration(String endpointName, TokenKind kind) {
    return Optional.ofNullable(tokens.get(key(endpointName, kind)));
  }

  @Override
  public boolean deregister(String endpointName, TokenKind kind, TaskToken token) {
    TokenRegistration r = tokens.get(key(endpointName, kind));
    if (r == null || !r.token().equals(token)) {
      return false;
    }
    tokens.remove(key(endpointName, kind));
    return true;
  }

  @Override
  public boolean deregisterOwned(String endpointName, TokenKind kind, String owner) {
    TokenRegistration r = tokens.get(key(endpointName, kind));
    if (r == null || !r.owner().equals(owner)) {
      return false;
    }
    tokens.remove(key(endpointName, kind));
    return true;
  }

  @Override
  public void registerWaiter(Waiter waiter) {
    waiters.put(waiter.endpointName() + "/" + waiter.owner(), waiter);
  }

  @Override
  public List<Waiter> waiters(String endpointName) {
    return waiters.values().stream().filter(w -> w.endpointName().equals(endpointName))
        .toList();
  }

  @Override
  public boolean deregisterWaiter(String endpointName, String owner) {
    return waiters.remove(endpointName + "/" + owner) != null;
  }

  @Override
  public void requestPromotion(Promotion promotion) {
    promotions.putIfAbsent(promotion.endpointName(), promotion);
  }

  @Override
  public Optional<Promotion> promotion(String endpointName) {
    return Optional.ofNullable(promotions.get(endpointName));
  }

  @Override
  public boolean deletePromotion(String endpointName, String owner) {
    Promotion p = promotions.get(endpointName);
    if (p == null || !p.owner().equals(owner)) {
      return false;
    }
    promotions.remove(endpointName);
    return true;
  }

  @Override
  public Optional<AlarmMapping> alarmMapping(String alarmName) {
    return Optional.ofNullable(alarms.get(alarmName));
  }

  @Override
  public void deleteAlarmMappings(List<String> alarmNames, String owner) {
    alarmNames.forEach(n -> {
      AlarmMapping m = alarms.get(n);
      if (m != null && m.owner().equals(owner)) {
        alarms.remove(n);
      }
    });
  }

  public static String key(String endpointName, TokenKind kind) {
    return endpointName + "/" + kind;
  }

  private boolean change(String endpointName, String owner,
      java.util.function.UnaryOperator<ActiveRollout> f) {
    ActiveRollout r = rollouts.get(endpointName);
    if (r == null || !r.ownedBy(owner)) {
      return false;
    }
    rollouts.put(endpointName, f.apply(r));
    return true;
  }

  private static ActiveRollout copy(ActiveRollout r, RolloutPhase phase, Integer stepIndex,
      StopRequest stop, List<HistoryEntry> history) {
    return new ActiveRollout(r.endpointName(), r.executionName(), r.executionArn(),
        r.modelPackageArn(), r.baselineConfigName(), r.baselineVariantName(), r.baselineWeight(),
        r.canaryConfigName(), r.canaryVariantName(), r.finalConfigName(), r.models(),
        r.alarmNames(), r.managedAlarmNames(), r.trigger(), r.startedAt(), phase, stepIndex, stop,
        history, r.sageMakerRetries());
  }

  @Override
  public boolean firstSighting(String endpointName, String sighting, String eventId, java.time.Instant at) {
    String first = sightings.putIfAbsent(endpointName + " " + sighting, eventId);
    return first == null || first.equals(eventId);
  }
}
