package dev.poolshift.rollout.usecase.support;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.OperatorAbortException;
import dev.poolshift.rollout.PackageRejectedException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.RolloutSupersededException;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an event (a canary alarm, a rejection) turns a running rollout around: it leaves a stop
 * request on the active rollout ({@link RolloutStore#requestStop}), then fails whatever
 * canary-phase wait is parked ({@link #failWaits}). A step that
 * parks a token afterwards reads the request and throws it; one of the two always sees the
 * other, so no turn-around is lost between steps. Waits of a rollback are never failed.
 */
public final class TurnAround {
  private static final Logger LOG = LoggerFactory.getLogger(TurnAround.class);

  private TurnAround() {}

  /** @return the kinds of wait that were failed (delivered or already closed) */
  public static List<TokenKind> failWaits(RolloutStore store, TaskCallbacks callbacks,
      ActiveRollout rollout, StopRequest stop) {
    List<TokenKind> failed = new ArrayList<>();
    for (TokenKind kind : TokenKind.values()) {
      Optional<TokenRegistration> parked = store.registration(rollout.endpointName(), kind);
      if (parked.isEmpty() || !parked.get().owner().equals(rollout.executionName())) {
        continue;
      }
      TokenRegistration r = parked.get();
      if (kind == TokenKind.WAIT && (r.phase() == null || !r.phase().forward())) {
        LOG.info("rollback-phase wait left alone",
            entry("waitPhase", r.phase() == null ? null : r.phase().wire()));
        continue;
      }
      CallbackResult result = callbacks.fail(r.token(), stop.error(), stop.cause());
      store.deregister(rollout.endpointName(), kind, r.token());
      LOG.info(result.delivered() ? "failed the parked wait so the workflow rolls back" : "parked wait had already ended; benign",
          entry("wait", kind.name()), entry("callback", result.name()), entry("errorType", stop.error()));
      failed.add(kind);
    }
    return failed;
  }

  /** The exception a forward step throws for a pending stop request. */
  public static RolloutException exception(StopRequest stop) {
    String cause = stop.cause();
    if (PackageRejectedException.class.getName().equals(stop.error())) {
      return new PackageRejectedException(cause);
    }
    if (CanaryAlarmException.class.getName().equals(stop.error())) {
      return new CanaryAlarmException(cause);
    }
    if (OperatorAbortException.class.getName().equals(stop.error())) {
      return new OperatorAbortException(cause);
    }
    if (RolloutSupersededException.class.getName().equals(stop.error())) {
      return new RolloutSupersededException(cause);
    }
    return new DeploymentFailedException(stop.error() + ": " + cause);
  }
}
