package dev.poolshift.rollout.usecase.steps;

import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.usecase.steps.StepInputs.AtStep;
import dev.poolshift.rollout.usecase.steps.StepInputs.AwaitingEndpoint;
import dev.poolshift.rollout.usecase.steps.StepInputs.Baking;
import dev.poolshift.rollout.usecase.steps.StepInputs.BakingPromoted;
import dev.poolshift.rollout.usecase.steps.StepInputs.Escalating;
import dev.poolshift.rollout.usecase.steps.StepInputs.Holding;
import dev.poolshift.rollout.usecase.steps.StepInputs.Judging;
import dev.poolshift.rollout.usecase.steps.StepInputs.JudgingComponents;
import dev.poolshift.rollout.usecase.steps.StepInputs.JudgingPromoted;
import dev.poolshift.rollout.usecase.steps.StepInputs.Notifying;
import dev.poolshift.rollout.usecase.steps.StepInputs.Observing;
import dev.poolshift.rollout.usecase.steps.StepInputs.OnPlan;
import dev.poolshift.rollout.usecase.steps.StepInputs.Verifying;
import dev.poolshift.rollout.usecase.steps.StepInputs.Parking;
import dev.poolshift.rollout.usecase.steps.StepInputs.PlanRequest;
import dev.poolshift.rollout.usecase.steps.StepInputs.Recording;
import dev.poolshift.rollout.usecase.steps.StepInputs.Refusing;
import dev.poolshift.rollout.usecase.steps.StepInputs.ToConfig;
import dev.poolshift.rollout.usecase.steps.StepInputs.TurningBack;
import dev.poolshift.rollout.usecase.steps.StepResults.ActionReport;
import dev.poolshift.rollout.usecase.steps.StepResults.ComponentsObserved;
import dev.poolshift.rollout.usecase.steps.StepResults.ConfigCreated;
import dev.poolshift.rollout.usecase.steps.StepResults.Delivered;
import dev.poolshift.rollout.usecase.steps.StepResults.Done;
import dev.poolshift.rollout.usecase.steps.StepResults.Judgement;
import dev.poolshift.rollout.usecase.steps.StepResults.ModelsCreated;
import dev.poolshift.rollout.usecase.steps.StepResults.Recorded;
import dev.poolshift.rollout.usecase.steps.StepResults.ReturnCheck;
import dev.poolshift.rollout.usecase.steps.StepResults.Superseded;
import dev.poolshift.rollout.usecase.steps.StepResults.Verification;
import dev.poolshift.rollout.usecase.steps.StepResults.WeightsSet;
import dev.poolshift.rollout.usecase.support.OperatorDecision;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.support.Release;
import dev.poolshift.rollout.usecase.support.ScalingHold;
import dev.poolshift.rollout.usecase.support.WaitOutputs.BakeCut;
import dev.poolshift.rollout.usecase.support.WaitOutputs.EndpointReleased;
import java.util.List;

/**
 * Every step of {@code statemachine/rollout.asl.json}, in the order of the workflow's sections,
 * wired to the class that does it. The table is the step contract: name, input, result, and
 * what completes a step's wait (documented in {@code docs/steps.md}).
 */
public final class WorkflowSteps {
  private WorkflowSteps() {}

  public static List<Step<?>> all(Settings settings, Ports ports) {
    ScalingHold scalingHold = new ScalingHold(ports.scaling(), ports.store(), ports.ledger(),
        ports.notifier());
    Release release = new Release(ports.store(), ports.alarms(), ports.endpoints(),
        ports.registry(), ports.callbacks(), scalingHold);
    StepGuard guard = new StepGuard(ports.store(), ports.endpoints());
    EndpointMoves moves = new EndpointMoves(ports.endpoints(), ports.store(), scalingHold);
    QueueSteps queue = new QueueSteps(ports.store(), ports.callbacks());
    OperatorSteps operators = new OperatorSteps(ports.store(), ports.callbacks(), ports.ledger());
    ReturnSteps returns = new ReturnSteps(ports.store(), ports.endpoints(), ports.ledger(),
        scalingHold, ports.registry(), ports.profiles(), ports.components());
    PlanSteps plan = new PlanSteps(settings, ports, queue, operators, returns);
    FleetSteps fleet = new FleetSteps(ports, guard, moves);
    CanarySteps canary = new CanarySteps(settings, ports, guard);
    PromotionSteps promotion = new PromotionSteps(settings, ports, guard, moves);
    RollbackSteps rollback = new RollbackSteps(ports);
    ClosingSteps closing = new ClosingSteps(settings, ports, guard, release);
    ComponentRolloutSteps components = new ComponentRolloutSteps(ports, guard, moves);
    return List.of(
        // plan, and waiting for another rollout to let go of the endpoint
        Step.of("plan", PlanRequest.class, PlanDocument.class, plan::plan),
        Step.of("supersede", OnPlan.class, Superseded.class, queue::supersede),
        Step.waiting("awaitEndpointLock", Parking.class, EndpointReleased.class, queue::awaitLock),
        Step.of("leaveQueue", OnPlan.class, Done.class, queue::leave),
        // console actions on a running rollout
        Step.of("deliverAction", OnPlan.class, Delivered.class, operators::deliver),
        Step.waiting("awaitOutcome", Parking.class, EndpointReleased.class, operators::awaitOutcome),
        Step.of("reportOutcome", OnPlan.class, ActionReport.class, operators::report),
        // rollback to the previous release
        Step.of("restorePrevious", OnPlan.class, Done.class, returns::restore),
        Step.of("verifyRestored", OnPlan.class, ReturnCheck.class, returns::verify),
        // fleet
        Step.of("lock", OnPlan.class, Done.class, fleet::lock),
        Step.of("createModels", OnPlan.class, ModelsCreated.class, fleet::createModels),
        Step.of("createCanaryConfig", OnPlan.class, ConfigCreated.class, fleet::createCanaryConfig),
        Step.of("updateEndpoint", ToConfig.class, Done.class, fleet::updateEndpoint),
        Step.waiting("awaitEndpoint", AwaitingEndpoint.class, Observation.class, fleet::awaitEndpoint),
        Step.of("observeEndpoint", Observing.class, Observation.class, fleet::observeEndpoint),
        Step.of("verifyCanaryFleet", Verifying.class, Verification.class, fleet::verifyCanaryFleet),
        // canary
        Step.of("shiftTraffic", AtStep.class, WeightsSet.class, canary::shiftTraffic),
        Step.waiting("startBake", Baking.class, BakeCut.class, canary::startBake),
        Step.of("judgeCanary", Judging.class, Judgement.class, canary::judgeCanary),
        Step.waiting("holdForOperator", Holding.class, OperatorDecision.class, canary::holdForOperator),
        // promotion
        Step.of("promote", OnPlan.class, ConfigCreated.class, promotion::promote),
        Step.of("verifyPromoted", Verifying.class, Verification.class, promotion::verifyPromoted),
        Step.of("judgePromoted", JudgingPromoted.class, Judgement.class, promotion::judgePromoted),
        Step.waiting("bakePromoted", BakingPromoted.class, BakeCut.class, promotion::bakePromoted),
        // rollback of the rollout
        // inference-component endpoints: SageMaker's rolling update instead of a canary
        Step.of("moveOntoPools", OnPlan.class, Done.class, components::moveOntoPools),
        Step.of("updateComponents", OnPlan.class, Done.class, components::updateComponents),
        Step.of("observeComponents", Observing.class, ComponentsObserved.class,
            components::observeComponents),
        Step.of("judgeComponents", JudgingComponents.class, Judgement.class,
            components::judgeComponents),
        Step.of("restoreComponents", TurningBack.class, Done.class,
            components::restoreComponents),
        Step.of("restoreComponentsEndpoint", OnPlan.class, Done.class,
            components::restoreEndpointConfig),
        Step.of("verifyComponentsReturned", OnPlan.class, ReturnCheck.class,
            components::verifyReturned),
        Step.of("restoreBaselineTraffic", TurningBack.class, Done.class, rollback::restoreBaselineTraffic),
        Step.of("restoreBaselineConfig", OnPlan.class, Done.class, rollback::restoreBaselineConfig),
        Step.of("verifyBaseline", OnPlan.class, ReturnCheck.class, rollback::verifyBaseline),
        // endings
        Step.of("record", Recording.class, Recorded.class, closing::record),
        Step.of("unlock", OnPlan.class, Done.class, closing::unlock),
        Step.of("notify", Notifying.class, Done.class, closing::notifyOutcome),
        Step.of("abandon", TurningBack.class, Done.class, closing::abandon),
        Step.of("refused", Refusing.class, Done.class, closing::refused),
        Step.of("escalate", Escalating.class, Done.class, closing::escalate));
  }
}
