package dev.poolshift.rollout.canary;

/**
 * One step of a canary schedule: the canary's share of the baseline variant's traffic in
 * percent. Passing the last step (100%) promotes.
 */
public record CanaryStep(int index, int percent, boolean last) {
  public Verdict passVerdict() {
    return last ? Verdict.PROMOTE : Verdict.CONTINUE;
  }
}
