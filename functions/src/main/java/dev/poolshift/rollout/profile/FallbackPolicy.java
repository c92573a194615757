package dev.poolshift.rollout.profile;

/**
 * What happens when the new fleet landed (partly) on a lower-priority pool, i.e. on fallback
 * hardware. The fallback hardware is then judged by the canary like any other.
 */
public enum FallbackPolicy {
  /** Continue the rollout on whatever pools SageMaker provisioned. */
  PROCEED("proceed"),
  /** Stop and wait for a person (verdict INCONCLUSIVE). */
  PAUSE("pause"),
  /** Treat landing on fallback hardware as a failed step (verdict ROLL_BACK). */
  FAIL("fail");

  private final String wire;

  FallbackPolicy(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  static FallbackPolicy fromWire(String value) {
    for (FallbackPolicy p : values()) {
      if (p.wire.equals(value)) {
        return p;
      }
    }
    return null;
  }
}
