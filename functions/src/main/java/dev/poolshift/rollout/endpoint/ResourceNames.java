package dev.poolshift.rollout.endpoint;

import dev.poolshift.rollout.SageMakerNames;
import java.util.regex.Pattern;

/**
 * Deterministic names for what a deployment creates. The same deployment always derives the same
 * names, so a retried Create* finds "already exists" and can check the resource is its own; two
 * deployments never share a name because the hash covers the endpoint, the full package ARN and
 * the deployment id. Every name is at most 63 characters and matches
 * {@link SageMakerNames#NAME}; the readable part is truncated before the hash is.
 */
public final class ResourceNames {
  /**
   * Canary variants are named {@code canary-v<version>} (a package) or {@code canary-m<hash>} (a
   * model outside the registry); a leftover one means a rollout died.
   */
  public static final Pattern CANARY_VARIANT = Pattern.compile("canary-(v[0-9]+|m[0-9a-f]{8})");
  public static final String CANARY_CONFIG = "canary";
  public static final String FINAL_CONFIG = "final";
  private static final int HASH = 8;

  private ResourceNames() {}

  /**
   * The SageMaker model for a package version; {@code inferenceSpecificationName} non-null for a
   * per-pool build.
   */
  public static String model(ModelPackageArn pkg, String deploymentId,
      String inferenceSpecificationName) {
    String tail = "v" + pkg.version();
    if (inferenceSpecificationName != null) {
      String spec = SageMakerNames.sanitize(inferenceSpecificationName);
      tail += "-" + (spec.length() > 24 ? spec.substring(0, 24) : spec);
    }
    String hash = SageMakerNames.shortHash(HASH, "model", pkg.canonical(), deploymentId,
        inferenceSpecificationName);
    return SageMakerNames.compose(SageMakerNames.MAX_NAME_LENGTH, pkg.group(), tail, hash);
  }

  /**
   * An endpoint config of a deployment; {@code role} is {@link #CANARY_CONFIG} or
   * {@link #FINAL_CONFIG}.
   */
  public static String endpointConfig(String endpointName, ModelPackageArn pkg,
      String deploymentId, String role) {
    String hash = SageMakerNames.shortHash(HASH, "endpoint-config", endpointName,
        pkg.canonical(), deploymentId, role);
    return SageMakerNames.compose(SageMakerNames.MAX_NAME_LENGTH, endpointName,
        "v" + pkg.version() + "-" + role, hash);
  }

  /** The canary variant's name: readable in CloudWatch dimensions and the console. */
  public static String canaryVariant(ModelPackageArn pkg) {
    return "canary-v" + pkg.version();
  }

  /** As {@link #model(ModelPackageArn, String, String)}, for either kind of release. */
  public static String model(Release release, String deploymentId,
      String inferenceSpecificationName) {
    if (release.fromRegistry()) {
      return model(release.modelPackage(), deploymentId, inferenceSpecificationName);
    }
    // The copy of a model outside the registry: its name first, so the console shows whose
    // copy it is; the hash tells the copies of one model apart.
    String hash = SageMakerNames.shortHash(HASH, "model", release.canonical(), deploymentId,
        inferenceSpecificationName);
    return SageMakerNames.compose(SageMakerNames.MAX_NAME_LENGTH, release.modelName(), "copy",
        hash);
  }

  /** As {@link #endpointConfig(String, ModelPackageArn, String, String)}, for either kind. */
  public static String endpointConfig(String endpointName, Release release, String deploymentId,
      String role) {
    if (release.fromRegistry()) {
      return endpointConfig(endpointName, release.modelPackage(), deploymentId, role);
    }
    String hash = SageMakerNames.shortHash(HASH, "endpoint-config", endpointName,
        release.canonical(), deploymentId, role);
    return SageMakerNames.compose(SageMakerNames.MAX_NAME_LENGTH, endpointName,
        "same-model-" + role, hash);
  }

  /**
   * As {@link #canaryVariant(ModelPackageArn)}; a model outside the registry has no version, so
   * its canary is {@code canary-m} and a hash of its name (variant names are at most 63).
   */
  public static String canaryVariant(Release release) {
    return release.fromRegistry() ? canaryVariant(release.modelPackage())
        : "canary-m" + SageMakerNames.shortHash(HASH, "canary", release.canonical());
  }
}
