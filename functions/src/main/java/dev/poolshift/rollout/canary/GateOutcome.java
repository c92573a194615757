package dev.poolshift.rollout.canary;

import java.time.Instant;

/** What {@link CanaryGate} concluded: a {@link Verdict}, or "look again later". */
public sealed interface GateOutcome {
  String reason();

  /** The step is still baking or still waiting for enough data; evaluate again at {@code until}. */
  record KeepBaking(Instant until, String reason) implements GateOutcome {
  }

  /** A verdict, with the evidence that led to it in {@code reason}. */
  record Decision(Verdict verdict, String reason) implements GateOutcome {
  }
}
