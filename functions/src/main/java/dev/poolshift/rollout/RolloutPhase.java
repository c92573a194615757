package dev.poolshift.rollout;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a rollout is, as kept on its active-rollout record. The wire names of the waiting phases
 * are the workflow's {@code $phase} values.
 */
public enum RolloutPhase {
  /** The endpoint is locked; nothing on it changed yet. */
  LOCKED("locked"),
  /** UpdateEndpoint onto the canary config (baseline + canary at weight 0) is in flight. */
  CANARY_FLEET("canary-fleet"),
  /** The canary serves a step's share of traffic. */
  CANARY_WEIGHTS("canary-weights"),
  /** UpdateEndpoint onto the final config (one pooled variant) is in flight. */
  FINAL_FLEET("final-fleet"),
  /** Rolling back: all weight back on the baseline variant. */
  BASELINE_WEIGHTS("baseline-weights"),
  /** Rolling back: UpdateEndpoint back to the baseline config. */
  BASELINE_FLEET("baseline-fleet"),
  /**
   * The {@code rollback} console action: UpdateEndpoint back to the previous release's config.
   * Not forward: nothing turns it around (it is the way back).
   */
  RESTORE_FLEET("restore-fleet"),
  PROMOTED("promoted"),
  ROLLED_BACK("rolled-back"),
  FAILED("failed"),
  /**
   * The rollout ended with all traffic on the baseline variant, but the endpoint still runs the
   * canary config: its baseline config could not be provisioned again (a shortage of the
   * baseline's own instance type). The canary variant serves nothing. The lock stays, and the
   * reconciler returns the endpoint to its baseline config when capacity allows.
   */
  CLEANUP_PENDING("cleanup-pending"),
  /** The way back failed or the endpoint is Failed: no further automated writes. */
  NEEDS_A_PERSON("needs-a-person");

  /**
   * Phases in which the new version is on its way in: an alarm or a rejection must turn the
   * rollout around. A rollback phase is never interrupted (it is the way back).
   */
  public static final Set<RolloutPhase> FORWARD =
      EnumSet.of(LOCKED, CANARY_FLEET, CANARY_WEIGHTS, FINAL_FLEET);

  private final String wire;

  RolloutPhase(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean forward() {
    return FORWARD.contains(this);
  }

  /** @throws InvalidInputException naming {@code path} for an unknown value */
  public static RolloutPhase fromWire(String path, String value) {
    for (RolloutPhase p : values()) {
      if (p.wire.equals(value)) {
        return p;
      }
    }
    throw new InvalidInputException(null, path, "must be one of canary-fleet, canary-weights,"
        + " final-fleet, baseline-weights, baseline-fleet, restore-fleet (got " + (value == null ? "none"
            : SageMakerNames.quote(value)) + ")");
  }
}
