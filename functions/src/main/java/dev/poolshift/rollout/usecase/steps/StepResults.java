package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.poolMix;
import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.endpoint.PoolCount;
import java.util.List;
import java.util.Map;

/**
 * What the steps return ({@code $states.result.Payload}), one record per shape. The state
 * machine reads some of their components by name ({@code $verdict.live}, {@code $plan.steps},
 * ...): a test follows every such read back to the steps that can have produced the variable and
 * fails when their result has no such component.
 */
public final class StepResults {
  private StepResults() {}

  /** A step whose result the workflow does not read: {@code {}}. */
  public record Done() {
    public static final Done INSTANCE = new Done();
  }

  /**
   * {@code observeComponents}: an inference-component rollout's components as SageMaker reports
   * them. {@code settled}: none is Creating, Updating or Deleting. {@code onNewVersion} /
   * {@code onBaseline}: settled, and every component runs exactly the plan's new / current
   * specifications, every copy placed. Otherwise {@code error} (an exception class name) and
   * {@code reason} say why not (SageMaker's rollback reason, a Failed component).
   *
   * @param copiesByType per component, its copies per instance type
   */
  public record ComponentsObserved(boolean settled, boolean onNewVersion, boolean onBaseline,
      String error, String reason, Map<String, Map<String, Integer>> copiesByType) {
  }

  /** {@code createModels}: the models this rollout runs. */
  public record ModelsCreated(List<String> models) {
  }

  /** {@code createCanaryConfig} and {@code promote}: the config the endpoint moves onto. */
  public record ConfigCreated(String endpointConfigName) {
  }

  /**
   * {@code record}: the outcome recorded (a rollback that never moved traffic is FAILED) and a
   * sentence saying so.
   */
  public record Recorded(Outcome outcome, String summary) {
  }

  /** {@code shiftTraffic}: the weights set and the step's canary percentage. */
  public record WeightsSet(Map<String, Double> weights, int percent) {
  }

  /**
   * {@code verifyCanaryFleet} and {@code verifyPromoted}: the workflow goes on when {@code live},
   * else turns around failing with {@code error} (an exception class name) and {@code reason}.
   */
  public record Verification(boolean live, String error, String reason, List<PoolCount> poolMix) {
  }

  /**
   * {@code verifyBaseline} and {@code verifyRestored}: back where the rollback was going, or not;
   * {@code needsAPerson} when the endpoint is Failed or UpdateRollbackFailed (nothing automated
   * may write to it). {@code held}: not back on the baseline config, but all traffic is on the
   * baseline variant in the canary config, because the baseline config could not be provisioned
   * again: the rollback is done as far as traffic goes and the reconciler finishes the fleet.
   */
  public record ReturnCheck(boolean live, boolean needsAPerson, boolean held, String error,
      String reason) {
  }

  /** {@code judgeCanary}: the gate's call; {@code waitSeconds} only with KEEP_BAKING. */
  public record Judgement(Call verdict, String reason, Integer waitSeconds) {
  }

  /** The gate's call as the workflow's "Canary healthy?" branches on it. */
  public enum Call {
    /** The step passed: shift to the next step's weights. */
    CONTINUE,
    /** The last step passed (or an operator promoted): move to the final config. */
    PROMOTE,
    /** The canary is unhealthy: roll back. */
    ROLL_BACK,
    /** The evidence cannot decide: hold for a person. */
    INCONCLUSIVE,
    /** Not enough evidence yet, but it may come: bake {@code waitSeconds} more. */
    KEEP_BAKING;

    public static Call of(Verdict v) {
      return valueOf(v.name());
    }
  }

  /** {@code supersede}: the rollout asked to turn around, and the waits of it that were failed. */
  public record Superseded(String superseded, String phase, String reason,
      List<String> waitsFailed) {
  }

  /** {@code deliverAction}: the rollout acted on and what reached it. */
  public record Delivered(String rollout, String phase, List<String> delivered) {
  }

  /**
   * {@code reportOutcome}: merged into the action's execution output. {@code rolloutOutcome} is
   * an {@link Outcome} name, or RUNNING / UNKNOWN when the ledger has none yet.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ActionReport(String outcome, String action, String endpointName, String rollout,
      String rolloutOutcome, String endpointConfigName, String rolloutCause) {
  }
}
