package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.VariantSpec;

/**
 * How long the workflow waits for SageMaker before it stops trusting the update. A blue/green
 * UpdateEndpoint provisions a new fleet for every variant of the new config, so the bound is the
 * slowest variant's: capacity (the pools' provision timeout), then the model download and the
 * container's health check, each with SageMaker's own timeout when the config sets one, plus a
 * margin for traffic shifting and old-fleet termination.
 */
public final class WaitBounds {
  /** SageMaker's budget for a variant that sets none (the local runtime's reading too). */
  static final int DEFAULT_PROVISION_SECONDS = 300;
  static final int DEFAULT_DOWNLOAD_SECONDS = 900;
  static final int DEFAULT_STARTUP_SECONDS = 600;
  static final int MARGIN_SECONDS = 600;
  /** UpdateEndpointWeightsAndCapacities takes a minute or two; autoscaling may hold it longer. */
  public static final int WEIGHTS_SECONDS = 900;
  /** How long an inconclusive step waits for a person before it rolls back. */
  public static final int OPERATOR_SECONDS = 3600;
  /** SageMaker's longest BlueGreenUpdatePolicy.TerminationWaitInSeconds. */
  public static final int MAX_TERMINATION_WAIT_SECONDS = 3600;
  /**
   * How long a console promote or abort waits to report the outcome of the rollout it acted on:
   * a final fleet or a way back of large GPU instances fits, with room to spare. Past it the
   * action reports the rollout still running; the rollout itself is not bounded by this.
   */
  public static final int OUTCOME_WATCH_SECONDS = 4 * 3600;

  private WaitBounds() {}

  public static int fleetSeconds(EndpointConfigSpec config) {
    int worst = 0;
    for (VariantSpec v : config.productionVariants()) {
      int provision = v.provisionTimeoutSeconds() != null ? v.provisionTimeoutSeconds()
          : DEFAULT_PROVISION_SECONDS;
      int download = seconds(v, "ModelDataDownloadTimeoutInSeconds", DEFAULT_DOWNLOAD_SECONDS);
      int startup = seconds(v, "ContainerStartupHealthCheckTimeoutInSeconds",
          DEFAULT_STARTUP_SECONDS);
      worst = Math.max(worst, provision + download + startup);
    }
    return worst + MARGIN_SECONDS;
  }

  /** The larger of the canary and final configs' bounds: one bound for every fleet wait. */
  public static int fleetSeconds(RolloutPlan plan) {
    return Math.max(fleetSeconds(plan.canaryConfig()), fleetSeconds(plan.finalConfig()));
  }

  private static int seconds(VariantSpec v, String field, int fallback) {
    return v.carried().get(field) instanceof Number n ? n.intValue() : fallback;
  }
}
