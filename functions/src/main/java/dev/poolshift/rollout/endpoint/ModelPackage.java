package dev.poolshift.rollout.endpoint;

import dev.poolshift.rollout.ModelPackageNotDeployableException;
import java.util.List;
import java.util.Map;

/**
 * What Poolshift needs from DescribeModelPackage.
 *
 * @param arn the versioned package ARN
 * @param groupName ModelPackageGroupName, in its own case (the ARN's may be lower-cased)
 * @param version ModelPackageVersion
 * @param status ModelPackageStatus ({@code Completed} is deployable)
 * @param approvalStatus ModelApprovalStatus ({@code Approved} is deployable)
 * @param additionalInferenceSpecificationNames names of AdditionalInferenceSpecifications:
 *     per-hardware builds a pool can select
 * @param customerMetadata CustomerMetadataProperties
 */
public record ModelPackage(
    String arn,
    String groupName,
    int version,
    String status,
    String approvalStatus,
    List<String> additionalInferenceSpecificationNames,
    Map<String, String> customerMetadata) {

  public static final String COMPLETED = "Completed";
  public static final String APPROVED = "Approved";
  public static final String REJECTED = "Rejected";

  public ModelPackage {
    additionalInferenceSpecificationNames = additionalInferenceSpecificationNames == null
        ? List.of() : List.copyOf(additionalInferenceSpecificationNames);
    customerMetadata = customerMetadata == null ? Map.of() : Map.copyOf(customerMetadata);
  }

  public ModelPackageArn parsedArn() {
    return ModelPackageArn.parse(arn);
  }

  /**
   * Deploy only what the registry says is finished and approved right now: an approval event
   * can be overtaken by a rejection before the rollout starts.
   */
  public void requireDeployable() {
    if (!COMPLETED.equals(status) || !APPROVED.equals(approvalStatus)) {
      throw new ModelPackageNotDeployableException("model package " + arn + " is not deployable:"
          + " ModelPackageStatus=" + status + ", ModelApprovalStatus=" + approvalStatus
          + " (approval not confirmed by DescribeModelPackage; need Completed and Approved)");
    }
  }
}
