package dev.poolshift.rollout.port;

/** The waits that park a task token on an endpoint; each is one item, {@code sk = name()}. */
public enum TokenKind {
  /** Waiting for the endpoint to settle; the endpoint-events function completes it. */
  WAIT,
  /** A canary step baking; a canary alarm fails it. */
  BAKE,
  /** An inconclusive step held for an operator's decision. */
  HOLD
}
