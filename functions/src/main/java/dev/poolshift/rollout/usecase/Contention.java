package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.shared.ExecutionRef;
import dev.poolshift.rollout.usecase.shared.PlanDocument;
import dev.poolshift.rollout.usecase.shared.TurnAround;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.RolloutSupersededException;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.Waiter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second rollout for an endpoint another one holds, under the profile's {@code queue} or
 * {@code supersede} policy. It never touches the endpoint while the other holds it: it parks a
 * waiter in the state table and the holder's release wakes it; then it plans again from scratch
 * (the endpoint has changed under it) and takes the lock like any rollout. Under
 * {@code supersede} it first asks the holder to turn around, through the holder's own stored
 * state (a stop request and its parked waits, as a canary alarm does), so the holder's
 * workflow returns the canary to its baseline before letting go: never two executions writing.
 */
final class Contention {
  private static final Logger LOG = LoggerFactory.getLogger(Contention.class);
  /** Waiter items outlive their wait by a day, then DynamoDB's TTL removes them. */
  private static final long TTL_SLACK_SECONDS = 86_400;

  private final RolloutStore store;
  private final TaskCallbacks callbacks;

  Contention(RolloutStore store, TaskCallbacks callbacks) {
    this.store = store;
    this.callbacks = callbacks;
  }

  /**
   * Asks the rollout holding the endpoint to return to its baseline. A holder already on its
   * way back, or gone, is left alone; one that needs a person refuses the newcomer.
   */
  Map<String, Object> supersede(PlanDocument plan, ExecutionRef exec, Instant now) {
    String ep = plan.endpointName();
    Map<String, Object> out = new LinkedHashMap<>();
    Optional<EndpointLock> lock = store.lockOf(ep).filter(l -> !l.owner().equals(exec.name()));
    ActiveRollout holder = lock.flatMap(l -> store.rollout(ep).filter(r -> r.ownedBy(l.owner())))
        .orElse(null);
    if (holder == null) {
      out.put("superseded", null);
      out.put("reason", "no rollout holds endpoint " + ep + " any more");
      LOG.atInfo().log("nothing to supersede: the endpoint is free");
      return out;
    }
    out.put("superseded", holder.executionName());
    out.put("phase", holder.phase().wire());
    if (holder.phase() == RolloutPhase.NEEDS_A_PERSON) {
      throw new EndpointLockedException(ep, holder.executionName(), "endpoint " + ep
          + " locked by execution " + holder.executionName() + ", which needs a person: it is"
          + " not superseded, and no rollout starts until someone has looked and released it");
    }
    if (!holder.phase().forward()) {
      out.put("reason", "already " + holder.phase().wire() + "; waiting for it to end");
      LOG.atInfo().addKeyValue("holder", holder.executionName())
          .addKeyValue("holderPhase", holder.phase().wire())
          .log("holder is not moving forward; nothing to supersede, waiting for it");
      return out;
    }
    StopRequest stop = new StopRequest(RolloutSupersededException.class.getName(),
        "superseded by execution " + exec.name() + " (" + plan.modelPackageArn()
            + (plan.trigger() == null || plan.trigger().by() == null ? ""
                : ", started by " + plan.trigger().by())
            + "): the canary returns to its baseline first, then the newer rollout starts",
        now);
    store.requestStop(ep, holder.executionName(), stop);
    List<TokenKind> failed = TurnAround.failWaits(store, callbacks, holder, stop);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("at", now.toString());
    entry.put("kind", "superseded");
    entry.put("by", exec.name());
    entry.put("modelPackageArn", plan.modelPackageArn());
    store.appendHistory(ep, holder.executionName(), entry);
    out.put("waitsFailed", failed.stream().map(Enum::name).toList());
    LOG.atInfo().addKeyValue("holder", holder.executionName())
        .addKeyValue("holderPhase", holder.phase().wire())
        .addKeyValue("waitsFailed", out.get("waitsFailed"))
        .log("superseding the running rollout: it returns to its baseline first");
    return out;
  }

  /**
   * Parks this execution until the endpoint is let go of, then looks: a lock already gone (or
   * this execution's) completes the wait at once.
   */
  Map<String, Object> awaitLock(PlanDocument plan, ExecutionRef exec, Instant now,
      TaskToken token) {
    String ep = plan.endpointName();
    PlanDocument.Contention c = plan.contention();
    store.registerWaiter(new Waiter(ep, exec.name(), Waiter.FOR_LOCK,
        c == null ? null : c.holder(), token, now,
        now.plusSeconds((c == null ? 0 : c.waitSeconds()) + TTL_SLACK_SECONDS)));
    Optional<EndpointLock> lock = store.lockOf(ep);
    if (lock.isEmpty() || lock.get().owner().equals(exec.name())) {
      Map<String, Object> output = new LinkedHashMap<>();
      output.put("endpointName", ep);
      output.put("releasedBy", c == null ? null : c.holder());
      CallbackResult result = callbacks.succeed(token, output);
      store.deregisterWaiter(ep, exec.name());
      LOG.atInfo().addKeyValue("callback", result.name())
          .log("endpoint already free; wait for it completed at once");
    } else {
      LOG.atInfo().addKeyValue("holder", lock.get().owner())
          .addKeyValue("queueWaitSeconds", c == null ? null : c.waitSeconds())
          .log("waiting for the rollout holding the endpoint to end");
    }
    return Map.of();
  }

  /** The wait ended without the endpoint (bound reached, or an error): unpark. */
  Map<String, Object> leave(PlanDocument plan, ExecutionRef exec) {
    boolean removed = store.deregisterWaiter(plan.endpointName(), exec.name());
    LOG.atInfo().addKeyValue("waiterRemoved", removed).log("stopped waiting for the endpoint");
    return Map.of();
  }
}
