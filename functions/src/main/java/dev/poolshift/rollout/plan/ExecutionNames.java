package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.SageMakerNames;
import dev.poolshift.rollout.endpoint.ModelPackageArn;

/**
 * Step Functions execution names derived from a model package ARN. The name is how Poolshift
 * gets "exactly one rollout per approval": a duplicate or redelivered approval event starts an
 * execution with the same name, which Step Functions refuses (or answers idempotently). So the
 * name must be stable across retries and distinct across versions, groups, accounts, regions.
 *
 * <p>Shape: {@code <group>-v<version>-<hash>}, at most 80 characters, only letters, digits and
 * hyphens (a subset of what Step Functions allows: no whitespace, brackets, wildcards,
 * {@code " # % \ ^ | ~ ` $ & , ; : /} or control characters). The hash covers the whole ARN,
 * lower-cased because SageMaker reports ARNs lower-cased while a console user may paste another
 * case, and the readable group may be truncated.
 */
public final class ExecutionNames {
  public static final int MAX_LENGTH = 80;
  private static final int HASH = 12;

  private ExecutionNames() {}

  /**
   * The rollback a rejection of {@code arn} starts: deterministic like an approval's, so a
   * redelivered rejection meets the first one.
   */
  public static String forRejection(ModelPackageArn arn) {
    String hash = SageMakerNames.shortHash(HASH, "rejection", arn.canonical());
    return SageMakerNames.compose(MAX_LENGTH, arn.group().toLowerCase(java.util.Locale.ROOT),
        "v" + arn.version() + "-rejected", hash);
  }

  public static String forApproval(ModelPackageArn arn) {
    String hash = SageMakerNames.shortHash(HASH, "approval", arn.canonical());
    return SageMakerNames.compose(MAX_LENGTH, arn.group().toLowerCase(java.util.Locale.ROOT),
        "v" + arn.version(), hash);
  }
}
