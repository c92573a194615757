package dev.poolshift.rollout.profile;

/** What a second approval for an endpoint that already has a rollout in progress does. */
public enum ConcurrencyPolicy {
  /** Wait until the running rollout releases the endpoint, then start. */
  QUEUE("queue"),
  /** Refuse the new approval with "endpoint locked by execution X". */
  REJECT("reject"),
  /** Return the running rollout to its baseline, then start the new one (Flagger's reset). */
  SUPERSEDE("supersede");

  private final String wire;

  ConcurrencyPolicy(String wire) {
    this.wire = wire;
  }

  /** The value as written in a profile. */
  public String wire() {
    return wire;
  }

  static ConcurrencyPolicy fromWire(String value) {
    for (ConcurrencyPolicy p : values()) {
      if (p.wire.equals(value)) {
        return p;
      }
    }
    return null;
  }
}
