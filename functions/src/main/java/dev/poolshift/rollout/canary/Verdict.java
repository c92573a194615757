package dev.poolshift.rollout.canary;

/** The outcome of judging a canary step. There is no "passed for lack of evidence". */
public enum Verdict {
  /** The step passed; shift to the next step's weights. */
  CONTINUE,
  /** The last step passed; replace the endpoint with the final config. */
  PROMOTE,
  /** The canary is unhealthy; restore the baseline weights now. */
  ROLL_BACK,
  /** No verdict can be reached from the evidence; a person decides. */
  INCONCLUSIVE
}
