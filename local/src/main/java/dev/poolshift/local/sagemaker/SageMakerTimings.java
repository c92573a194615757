package dev.poolshift.local.sagemaker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How long the simulated control plane takes, in virtual time. Defaults follow what SageMaker
 * users report: GPU instances take about 5 minutes to launch, CPU ones about 3; pulling the model
 * and starting the container adds 2 minutes; shifting traffic to a new fleet 30 s; a weight
 * change 45 s (AWS says 30–60 s); terminating a fleet 2 minutes.
 *
 * @param gpuInstanceLaunch launch time for accelerated families (g*, p*, inf*, trn*, dl*)
 * @param cpuInstanceLaunch launch time for every other family
 * @param instanceLaunchByType per-type overrides of the two above
 * @param modelStart model download + container start + first ping, per instance
 * @param trafficActivation switching traffic onto a ready fleet (VariantStatus ActivatingTraffic)
 * @param weightUpdate {@code UpdateEndpointWeightsAndCapacities}: Updating until current = desired;
 *     also the length of RollingBack after a failed scale-out
 * @param fleetTermination terminating instances; their capacity stays held until it ends
 * @param endpointDeletion {@code Deleting} until the endpoint is gone
 * @param capacityRetryInterval how often a pooled variant retries its pools while short of capacity
 * @param singleTypeCapacityFailure how long a single-type variant takes to fail on
 *     InsufficientInstanceCapacity: unlike a pooled variant it does not wait for capacity to
 *     appear, and VariantInstanceProvisionTimeoutInSeconds does not apply to it (unconfirmed,
 *     harsher reading)
 * @param defaultProvisionTimeout {@code VariantInstanceProvisionTimeoutInSeconds} when a pooled
 *     variant omits it. AWS does not document a default (unconfirmed); we take the minimum
 *     allowed value, 300 s, the harsher reading
 */
public record SageMakerTimings(
    Duration gpuInstanceLaunch,
    Duration cpuInstanceLaunch,
    Map<String, Duration> instanceLaunchByType,
    Duration modelStart,
    Duration trafficActivation,
    Duration weightUpdate,
    Duration fleetTermination,
    Duration endpointDeletion,
    Duration capacityRetryInterval,
    Duration singleTypeCapacityFailure,
    Duration defaultProvisionTimeout) {

  public static final SageMakerTimings DEFAULTS = new SageMakerTimings(
      Duration.ofMinutes(5), Duration.ofMinutes(3), Map.of(), Duration.ofMinutes(2), Duration.ofSeconds(30),
      Duration.ofSeconds(45), Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofSeconds(30),
      Duration.ofMinutes(2), Duration.ofSeconds(300));

  public SageMakerTimings {
    instanceLaunchByType = Map.copyOf(instanceLaunchByType);
    requirePositive("capacityRetryInterval", capacityRetryInterval);
    for (var e : Map.of("gpuInstanceLaunch", gpuInstanceLaunch, "cpuInstanceLaunch", cpuInstanceLaunch,
        "modelStart", modelStart, "trafficActivation", trafficActivation, "weightUpdate", weightUpdate,
        "fleetTermination", fleetTermination, "endpointDeletion", endpointDeletion,
        "singleTypeCapacityFailure", singleTypeCapacityFailure,
        "defaultProvisionTimeout", defaultProvisionTimeout).entrySet()) {
      requireNonNegative(e.getKey(), e.getValue());
    }
    instanceLaunchByType.forEach((k, v) -> requireNonNegative("instanceLaunchByType[" + k + "]", v));
  }

  /** Launch time of one instance of {@code instanceType}. */
  public Duration instanceLaunch(String instanceType) {
    Duration d = instanceLaunchByType.get(instanceType);
    if (d != null) {
      return d;
    }
    return isAccelerated(instanceType) ? gpuInstanceLaunch : cpuInstanceLaunch;
  }

  static boolean isAccelerated(String instanceType) {
    String[] parts = instanceType.toLowerCase(Locale.ROOT).split("\\.");
    String family = parts.length > 1 ? parts[1] : instanceType;
    return family.startsWith("g") || family.startsWith("p") || family.startsWith("inf")
        || family.startsWith("trn") || family.startsWith("dl");
  }

  public SageMakerTimings withInstanceLaunch(String instanceType, Duration d) {
    Map<String, Duration> m = new HashMap<>(instanceLaunchByType);
    m.put(instanceType, d);
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, m, modelStart, trafficActivation,
        weightUpdate, fleetTermination, endpointDeletion, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withGpuInstanceLaunch(Duration d) {
    return new SageMakerTimings(d, cpuInstanceLaunch, instanceLaunchByType, modelStart, trafficActivation,
        weightUpdate, fleetTermination, endpointDeletion, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withCpuInstanceLaunch(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, d, instanceLaunchByType, modelStart, trafficActivation,
        weightUpdate, fleetTermination, endpointDeletion, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withModelStart(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, d, trafficActivation,
        weightUpdate, fleetTermination, endpointDeletion, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withTrafficActivation(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, modelStart, d,
        weightUpdate, fleetTermination, endpointDeletion, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withWeightUpdate(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, modelStart,
        trafficActivation, d, fleetTermination, endpointDeletion, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withFleetTermination(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, modelStart,
        trafficActivation, weightUpdate, d, endpointDeletion, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withEndpointDeletion(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, modelStart,
        trafficActivation, weightUpdate, fleetTermination, d, capacityRetryInterval, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withCapacityRetryInterval(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, modelStart,
        trafficActivation, weightUpdate, fleetTermination, endpointDeletion, d, singleTypeCapacityFailure,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withSingleTypeCapacityFailure(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, modelStart,
        trafficActivation, weightUpdate, fleetTermination, endpointDeletion, capacityRetryInterval, d,
        defaultProvisionTimeout);
  }

  public SageMakerTimings withDefaultProvisionTimeout(Duration d) {
    return new SageMakerTimings(gpuInstanceLaunch, cpuInstanceLaunch, instanceLaunchByType, modelStart,
        trafficActivation, weightUpdate, fleetTermination, endpointDeletion, capacityRetryInterval,
        singleTypeCapacityFailure, d);
  }

  private static void requireNonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("timing " + name + " must be >= 0, got " + d);
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("timing " + name + " must be > 0, got " + d);
    }
  }
}
