package dev.poolshift.handler;

import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.port.TokenKind;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: just before Lambda snapshots an initialised function (CRaC's
 * {@code beforeCheckpoint}), run each of the function's AWS SDK paths once with a read that finds
 * nothing, so class loading, marshalling, signing and the HTTP client's set-up are in the snapshot
 * instead of in the first invocation after a restore. Results are discarded: nothing fetched,
 * random or time-dependent is kept (a snapshot is restored many times).
 *
 * <p>Measured locally (fresh JVM, C1 only, the rollout-steps handler's {@code plan} step against
 * the local runtime): the first real call took ~800 ms without priming, ~200–300 ms after an
 * SDK-path priming, ~50–80 ms warm; a priming that avoided the SDK (JSON only) saved little. The
 * alarm handler's first call after a restore is inside the T_act budget, which is why this exists.
 *
 * <p>Outside SnapStart (tests, the local runtime) {@code beforeCheckpoint} is never called.
 */
final class SnapStartPriming implements Resource {
  /** The name every priming read asks for; nothing by this name exists. */
  static final String NOTHING = "poolshift-snapstart-priming";

  private final List<Runnable> reads;

  private SnapStartPriming(List<Runnable> reads) {
    this.reads = List.copyOf(reads);
  }

  /**
   * Registers the reads with CRaC. Keep the returned object in a field of the handler: CRaC holds
   * registered resources weakly.
   */
  static SnapStartPriming register(Runnable... reads) {
    SnapStartPriming priming = new SnapStartPriming(List.of(reads));
    Core.getGlobalContext().register(priming);
    return priming;
  }

  /** The rollout-steps function: every service a step calls. */
  static SnapStartPriming forRolloutSteps(AwsAdapters aws) {
    return register(
        () -> aws.profileStore().load(NOTHING),
        () -> aws.modelRegistry().describePackage(nothingPackage(aws)),
        () -> aws.endpoints().describe(NOTHING),
        () -> aws.rolloutStore().lockOf(NOTHING),
        () -> aws.ledger().latest(NOTHING, 1),
        () -> aws.alarms().describe(List.of(NOTHING)),
        () -> aws.metrics().variant(NOTHING, NOTHING, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), true),
        () -> aws.scalingTargets().capture(NOTHING, NOTHING),
        () -> aws.instanceQuotas().endpointUsage(Set.of(NOTHING)),
        // Reads at most one endpoint: ListEndpoints and DescribeEndpoint(Config), answer discarded.
        () -> aws.instanceUsage().endpointInstances(1));
  }

  /** The approval intake: profile, registry, the state table. */
  static SnapStartPriming forApprovalIntake(AwsAdapters aws) {
    return register(
        () -> aws.profileStore().load(NOTHING),
        () -> aws.modelRegistry().describePackage(nothingPackage(aws)),
        () -> aws.rolloutStore().rollout(NOTHING));
  }

  /** The endpoint-events function: the registered wait, then DescribeEndpoint. */
  static SnapStartPriming forEndpointEvents(AwsAdapters aws) {
    return register(
        () -> aws.rolloutStore().rollout(NOTHING),
        () -> aws.rolloutStore().registration(NOTHING, TokenKind.WAIT),
        () -> aws.endpoints().describe(NOTHING));
  }

  /** The alarm function, whose first call after a restore counts against T_act. */
  static SnapStartPriming forAlarmEvents(AwsAdapters aws) {
    return register(
        () -> aws.rolloutStore().alarmMapping(NOTHING),
        () -> aws.rolloutStore().rollout(NOTHING),
        () -> aws.endpoints().describe(NOTHING));
  }

  /**
   * The reconciler: a lock, an execution's status, the endpoint. Its Application Auto Scaling
   * client is not primed: the function may only write there (re-register a suspended target), a
   * priming read would be an AccessDenied in CloudTrail, and the path is not latency-bound.
   */
  static SnapStartPriming forReconciler(AwsAdapters aws) {
    return register(
        () -> aws.rolloutStore().lockOf(NOTHING),
        () -> aws.executionStatus().of("arn:aws:states:" + aws.optional("AWS_REGION")
            + ":000000000000:execution:" + NOTHING + ":" + NOTHING),
        () -> aws.endpoints().describe(NOTHING));
  }

  private static ModelPackageArn nothingPackage(AwsAdapters aws) {
    return ModelPackageArn.parse("arn:aws:sagemaker:" + aws.optional("AWS_REGION")
        + ":000000000000:model-package/" + NOTHING + "/1");
  }

  /** Runs every read once, ignoring what it answers (not-found errors are the expected answers). */
  void prime() {
    for (Runnable read : reads) {
      try {
        read.run();
      } catch (RuntimeException expected) {
        // The read exists to load and exercise the path; its answer does not matter.
      }
    }
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: no state was kept from the priming reads.
  }
}
