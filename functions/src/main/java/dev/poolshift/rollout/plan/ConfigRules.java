package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.FieldError;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.InstanceTypes;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.profile.DeploymentProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The endpoint configs a rollout would create, checked against the rules CreateEndpointConfig
 * enforces, so that a config SageMaker would refuse is refused in the plan, by name, before the
 * endpoint is locked and any model exists. Each rule names the field a person changes:
 * <ul>
 *   <li>{@code instancePools}: every type is one SageMaker hosts ({@link InstanceTypes}); a
 *       pooled variant lists 2–5 pools with distinct types and priorities 1–5;
 *   <li>{@code provisionTimeoutSeconds}: 300–3600; {@code instanceCount}: 1–1000;
 *   <li>{@code KmsKeyId}: not with an instance type that has local NVMe storage — SageMaker
 *       encrypts those volumes itself and CreateEndpointConfig refuses the key;
 *   <li>{@code VolumeSizeInGB}, {@code InferenceAmiVersion}, {@code CapacityReservationConfig}:
 *       only on the hardware they apply to (see {@link #storageAndHardware}).
 * </ul>
 * Pure: reads the plan only.
 */
public final class ConfigRules {
  private ConfigRules() {}

  /** Every rule the plan's configs break, once each; empty when SageMaker would take them. */
  public static List<FieldError> check(RolloutPlan plan) {
    Set<FieldError> out = new LinkedHashSet<>();
    for (EndpointConfigSpec config : List.of(plan.canaryConfig(), plan.finalConfig())) {
      check(config, out);
    }
    return new ArrayList<>(out);
  }

  /** Every rule {@code config} breaks, once each (an inference-component endpoint's pooled config). */
  public static List<FieldError> check(EndpointConfigSpec config) {
    Set<FieldError> out = new LinkedHashSet<>();
    check(config, out);
    return new ArrayList<>(out);
  }

  private static void check(EndpointConfigSpec config, Set<FieldError> out) {
    Set<String> nvme = new LinkedHashSet<>();
    for (VariantSpec v : config.productionVariants()) {
      String where = "variant " + v.variantName() + " of endpoint config " + config.name();
      List<String> types = new ArrayList<>();
      if (v.instanceType() != null) {
        types.add(v.instanceType());
      }
      v.instancePools().forEach(p -> types.add(p.instanceType()));
      for (String type : types) {
        if (!InstanceTypes.known(type)) {
          out.add(new FieldError("instancePools", type + " is not an instance type SageMaker"
              + " hosts endpoints on (ProductionVariantInstanceType)"));
        } else if (InstanceTypes.localNvme(type)) {
          nvme.add(type);
        }
      }
      storageAndHardware(v, types, where, out);
      if (v.usesPools()) {
        pools(v, where, out);
        if (v.provisionTimeoutSeconds() != null
            && (v.provisionTimeoutSeconds() < DeploymentProfile.MIN_PROVISION_TIMEOUT
                || v.provisionTimeoutSeconds() > DeploymentProfile.MAX_PROVISION_TIMEOUT)) {
          out.add(new FieldError("provisionTimeoutSeconds", where + ": must be "
              + DeploymentProfile.MIN_PROVISION_TIMEOUT + "–"
              + DeploymentProfile.MAX_PROVISION_TIMEOUT + " (got " + v.provisionTimeoutSeconds()
              + ")"));
        }
      }
      if (v.initialInstanceCount() != null
          && (v.initialInstanceCount() < 1 || v.initialInstanceCount() > 1000)) {
        out.add(new FieldError("instanceCount", where + ": must be 1–1000 (got "
            + v.initialInstanceCount() + ")"));
      }
    }
    Object kms = config.carried().get(EndpointConfigSpec.KMS_KEY_ID);
    if (kms != null && !nvme.isEmpty()) {
      out.add(new FieldError(EndpointConfigSpec.KMS_KEY_ID, "the endpoint's config encrypts its"
          + " storage volumes with KMS key " + kms + ", but " + nvme + " have local NVMe"
          + " instance storage, which SageMaker encrypts itself: CreateEndpointConfig refuses a"
          + " KmsKeyId with any instance type that has local storage. Choose pools whose types"
          + " have no local storage (such as ml.inf2, ml.c7i, ml.m7i), or first move the"
          + " endpoint to a config without KmsKeyId"));
    }
  }

  /**
   * Variant settings tied to one kind of hardware, against the variant's types. The API
   * reference does not say how they combine with local-storage types or with several types;
   * each takes the harsher reading (docs/carry-over.md):
   * <ul>
   *   <li>{@code VolumeSizeInGB} sizes an EBS volume: not with a type that has local NVMe
   *       storage, which serves instead (so never across EBS-only and local-storage families);
   *   <li>a GPU {@code InferenceAmiVersion} only on GPU types ({@code ml.g*}, {@code ml.p*});
   *   <li>{@code CapacityReservationConfig} reserves one instance type: not on pools.
   * </ul>
   */
  private static void storageAndHardware(VariantSpec v, List<String> types, String where,
      Set<FieldError> out) {
    if (v.carried().get(VariantSpec.VOLUME_SIZE) != null) {
      List<String> local = types.stream().filter(InstanceTypes::localNvme).toList();
      if (!local.isEmpty()) {
        out.add(new FieldError(VariantSpec.VOLUME_SIZE, where + " sets VolumeSizeInGB "
            + v.carried().get(VariantSpec.VOLUME_SIZE) + " (an EBS volume), but " + local
            + " have local NVMe storage, which SageMaker uses instead; remove VolumeSizeInGB or"
            + " choose types without local storage"));
      }
    }
    if (v.carried().get(VariantSpec.INFERENCE_AMI_VERSION) instanceof String ami
        && ami.contains("-gpu-")) {
      List<String> cpu = types.stream().filter(t -> !gpu(t)).toList();
      if (!cpu.isEmpty()) {
        out.add(new FieldError(VariantSpec.INFERENCE_AMI_VERSION, where + " runs the GPU AMI "
            + ami + ", but " + cpu + " have no GPU"));
      }
    }
    if (v.carried().get(VariantSpec.CAPACITY_RESERVATION) != null && v.usesPools()) {
      out.add(new FieldError(VariantSpec.CAPACITY_RESERVATION, where + " has a"
          + " CapacityReservationConfig, which reserves one instance type, and would run on "
          + types.size() + " pools " + types + "; remove the reservation from the endpoint's"
          + " config before moving it onto pools"));
    }
  }

  /** GPU families: ml.g* and ml.p*. */
  private static boolean gpu(String type) {
    String family = type.startsWith("ml.") ? type.substring(3) : type;
    return family.startsWith("g") || family.startsWith("p");
  }

  private static void pools(VariantSpec v, String where, Set<FieldError> out) {
    List<InstancePool> pools = v.instancePools();
    if (pools.size() < 2 || pools.size() > DeploymentProfile.MAX_POOLS) {
      out.add(new FieldError("instancePools", where + " would list " + pools.size() + " pool"
          + (pools.size() == 1 ? " (" + pools.getFirst().instanceType() + ")" : "s")
          + "; SageMaker takes 2–" + DeploymentProfile.MAX_POOLS + " instance pools per variant."
          + (pools.size() == 1 ? " Add a second type to the profile's instancePools (the"
              + " endpoint's current type counts once when keepCurrentTypeFirst is true)" : "")));
    }
    Set<Integer> priorities = new HashSet<>();
    Set<String> types = new HashSet<>();
    for (InstancePool p : pools) {
      if (p.priority() < 1 || p.priority() > DeploymentProfile.MAX_POOLS
          || !priorities.add(p.priority())) {
        out.add(new FieldError("instancePools", where + ": priority " + p.priority() + " of "
            + p.instanceType() + " must be 1–5 and unique"));
      }
      if (!types.add(p.instanceType())) {
        out.add(new FieldError("instancePools", where + ": " + p.instanceType()
            + " is listed twice"));
      }
    }
  }
}
