package dev.poolshift.aws;

import static dev.poolshift.rollout.port.RolloutMetrics.Names.ALARM_REACTION_SECONDS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.ALARM_TO_BASELINE_SECONDS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.FIRST_ERROR_TO_BASELINE_SECONDS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.ESCALATIONS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.HOLDS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.INSTANCE_TYPE;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.NAMESPACE;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.OUTCOME;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.ROLLBACKS_FAILED;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.ROLLOUTS_ENDED;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.ROLLOUTS_STARTED;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.ROLLOUT_SECONDS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.SAGEMAKER_CALLS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.SAGEMAKER_RETRIES;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.SECONDS_ON_INSTANCE_TYPE;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.STEP_VERDICTS;
import static dev.poolshift.rollout.port.RolloutMetrics.Names.VERDICT;

import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.port.RolloutEnd;
import dev.poolshift.rollout.port.RolloutMetrics;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * Poolshift's metrics as embedded metric format (EMF) lines on stdout, through Powertools
 * metrics: CloudWatch Logs turns each line into metrics in the {@code Poolshift} namespace.
 * Each emission is one line, flushed at once, from its own Powertools metrics instance: a step's
 * values never wait for the end of the invocation, and two invocations of one container never
 * share a buffer. The endpoint and execution ride along as EMF properties (searchable in Logs
 * Insights), never as dimensions.
 *
 * <p>The EMF library would otherwise look for its environment on each cold start (and, outside
 * Lambda, probe EC2 metadata and a CloudWatch agent); these functions only ever run in Lambda,
 * whose sink is stdout, so the environment is set once, here.
 */
public final class PowertoolsRolloutMetrics implements RolloutMetrics {
  private final EmfMetricsProvider provider = new EmfMetricsProvider();

  public PowertoolsRolloutMetrics() {
    EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
  }

  @Override
  public void rolloutStarted(String endpointName, String executionName, String action) {
    emit(endpointName, executionName, Map.of(), m -> {
      m.addMetadata("action", action);
      m.addMetric(ROLLOUTS_STARTED, 1, MetricUnit.COUNT);
    });
  }

  @Override
  public void stepJudged(String endpointName, String executionName, String verdict) {
    emit(endpointName, executionName, Map.of(VERDICT, verdict),
        m -> m.addMetric(STEP_VERDICTS, 1, MetricUnit.COUNT));
  }

  @Override
  public void held(String endpointName, String executionName) {
    emit(endpointName, executionName, Map.of(), m -> m.addMetric(HOLDS, 1, MetricUnit.COUNT));
  }

  @Override
  public void alarmReaction(String endpointName, String executionName, double seconds) {
    emit(endpointName, executionName, Map.of(),
        m -> m.addMetric(ALARM_REACTION_SECONDS, seconds, MetricUnit.SECONDS));
  }

  @Override
  public void rolloutEnded(RolloutEnd end) {
    String ep = end.endpointName();
    String exec = end.executionName();
    emit(ep, exec, Map.of(OUTCOME, end.outcome().name()), m -> {
      m.addMetric(ROLLOUTS_ENDED, 1, MetricUnit.COUNT);
      m.addMetric(ROLLOUT_SECONDS, end.durationSeconds(), MetricUnit.SECONDS);
    });
    // Alarms watch these without a dimension: "any rollout", whatever else it is.
    emit(ep, exec, Map.of(), m -> {
      m.addMetadata("outcome", end.outcome().name());
      m.addMetric(ESCALATIONS, end.outcome() == Outcome.NEEDS_A_PERSON ? 1 : 0,
          MetricUnit.COUNT);
      m.addMetric(ROLLBACKS_FAILED, end.rollbackFailed() ? 1 : 0, MetricUnit.COUNT);
      if (end.alarmToBaselineSeconds() != null) {
        m.addMetric(ALARM_TO_BASELINE_SECONDS, end.alarmToBaselineSeconds(),
            MetricUnit.SECONDS);
      }
      if (end.firstErrorToBaselineSeconds() != null) {
        m.addMetric(FIRST_ERROR_TO_BASELINE_SECONDS, end.firstErrorToBaselineSeconds(),
            MetricUnit.SECONDS);
      }
    });
    end.secondsOnInstanceType().forEach((type, seconds) ->
        emit(ep, exec, Map.of(INSTANCE_TYPE, type),
            m -> m.addMetric(SECONDS_ON_INSTANCE_TYPE, seconds, MetricUnit.SECONDS)));
  }

  @Override
  public void sageMakerCalls(String endpointName, String executionName, String step, int calls,
      int retries) {
    emit(endpointName, executionName, Map.of(), m -> {
      m.addMetadata("step", step);
      m.addMetric(SAGEMAKER_CALLS, calls, MetricUnit.COUNT);
      if (retries > 0) {
        m.addMetric(SAGEMAKER_RETRIES, retries, MetricUnit.COUNT);
      }
    });
  }

  private void emit(String endpointName, String executionName, Map<String, String> dimensions,
      Consumer<Metrics> body) {
    Metrics m = provider.getMetricsInstance();
    m.setNamespace(NAMESPACE);
    // Replaces the EMF library's defaults (log group, service name and type): every dimension
    // is one the docs name.
    m.setDefaultDimensions(DimensionSet.of(dimensions));
    if (endpointName != null) {
      m.addMetadata("endpointName", endpointName);
    }
    if (executionName != null) {
      m.addMetadata("executionName", executionName);
    }
    body.accept(m);
    m.flush();
  }
}
