package dev.poolshift.rollout.usecase.steps;

import dev.poolshift.rollout.port.Alarms;
import dev.poolshift.rollout.port.CallRetries;
import dev.poolshift.rollout.port.Dashboards;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.InferenceComponents;
import dev.poolshift.rollout.port.InstanceQuotas;
import dev.poolshift.rollout.port.InstanceUsage;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.Metrics;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.Notifier;
import dev.poolshift.rollout.port.ProfileStore;
import dev.poolshift.rollout.port.RolloutMetrics;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TrafficShifter;
import dev.poolshift.rollout.usecase.support.RolloutSignals;

/** Everything the steps call. */
public record Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
    TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
    Notifier notifier, TaskCallbacks callbacks, ScalingTargets scaling,
    InstanceQuotas quotas, InstanceUsage usage, RolloutMetrics rolloutMetrics,
    Dashboards dashboards, CallRetries retries, InferenceComponents components) {

  public Ports {
    components = components == null ? InferenceComponents.NONE : components;
    retries = retries == null ? CallRetries.NONE : retries;
    scaling = scaling == null ? ScalingTargets.NONE : scaling;
    quotas = quotas == null ? InstanceQuotas.NONE : quotas;
    usage = usage == null ? InstanceUsage.NONE : usage;
    rolloutMetrics = rolloutMetrics == null ? RolloutMetrics.NONE : rolloutMetrics;
    dashboards = dashboards == null ? Dashboards.NONE : dashboards;
  }

  /** Poolshift's metrics and the endpoint's dashboard, as the steps report to them. */
  public RolloutSignals signals() {
    return new RolloutSignals(rolloutMetrics, dashboards);
  }

  /** Without inference components: every endpoint is model-based. */
  public Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
      TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
      Notifier notifier, TaskCallbacks callbacks, ScalingTargets scaling,
      InstanceQuotas quotas, InstanceUsage usage, RolloutMetrics rolloutMetrics,
      Dashboards dashboards, CallRetries retries) {
    this(registry, profiles, endpoints, traffic, store, ledger, alarms, metrics, notifier,
        callbacks, scaling, quotas, usage, rolloutMetrics, dashboards, retries,
        InferenceComponents.NONE);
  }

  /** Without counting the steps' SageMaker retries. */
  public Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
      TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
      Notifier notifier, TaskCallbacks callbacks, ScalingTargets scaling,
      InstanceQuotas quotas, InstanceUsage usage, RolloutMetrics rolloutMetrics,
      Dashboards dashboards) {
    this(registry, profiles, endpoints, traffic, store, ledger, alarms, metrics, notifier,
        callbacks, scaling, quotas, usage, rolloutMetrics, dashboards, CallRetries.NONE);
  }

  /** Without Poolshift's own metrics and dashboards. */
  public Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
      TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
      Notifier notifier, TaskCallbacks callbacks, ScalingTargets scaling,
      InstanceQuotas quotas, InstanceUsage usage) {
    this(registry, profiles, endpoints, traffic, store, ledger, alarms, metrics, notifier,
        callbacks, scaling, quotas, usage, RolloutMetrics.NONE, Dashboards.NONE, CallRetries.NONE);
  }

  /** Without Service Quotas: no quota is listed, and usage is not counted. */
  public Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
      TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
      Notifier notifier, TaskCallbacks callbacks, ScalingTargets scaling) {
    this(registry, profiles, endpoints, traffic, store, ledger, alarms, metrics, notifier,
        callbacks, scaling, InstanceQuotas.NONE, InstanceUsage.NONE);
  }

  /** Without Application Auto Scaling: no variant is autoscaled. */
  public Ports(ModelRegistry registry, ProfileStore profiles, Endpoints endpoints,
      TrafficShifter traffic, RolloutStore store, Ledger ledger, Alarms alarms, Metrics metrics,
      Notifier notifier, TaskCallbacks callbacks) {
    this(registry, profiles, endpoints, traffic, store, ledger, alarms, metrics, notifier,
        callbacks, ScalingTargets.NONE);
  }
}
