package dev.poolshift.rollout.event;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;
import java.util.List;
import java.util.Map;

/**
 * "SageMaker Model Package State Change": the fields the approval intake decides on.
 *
 * @param updatedFields {@code UpdatedModelPackageFields}, or null when the event has none (a
 *     package created already approved)
 * @param by who changed it ({@code LastModifiedBy}/{@code CreatedBy}), when the event says
 */
public record ModelPackageStateChange(
    EventEnvelope envelope,
    String modelPackageArn,
    String groupName,
    String approvalStatus,
    String packageStatus,
    List<String> updatedFields,
    String by) {

  public static final String DETAIL_TYPE = "SageMaker Model Package State Change";
  public static final String APPROVAL_FIELD = "ModelApprovalStatus";

  public static ModelPackageStateChange parse(EventEnvelope envelope) {
    envelope.requireType(DETAIL_TYPE);
    FieldErrors errors = new FieldErrors();
    JsonFields d = envelope.detailFields(errors);
    String arn = d.string("ModelPackageArn", true);
    String group = d.string("ModelPackageGroupName", true);
    String approval = d.string("ModelApprovalStatus", true);
    String status = d.string("ModelPackageStatus", false);
    List<String> updated = null;
    List<?> raw = d.has("UpdatedModelPackageFields") && envelope.detail()
        .get("UpdatedModelPackageFields") != null ? d.list("UpdatedModelPackageFields", false)
        : null;
    if (raw != null) {
      updated = raw.stream().map(String::valueOf).toList();
    }
    errors.throwIfAny("model package event " + envelope.id());
    return new ModelPackageStateChange(envelope, arn, group, approval, status, updated,
        identity(envelope.detail().get("LastModifiedBy"),
            identity(envelope.detail().get("CreatedBy"), null)));
  }

  /** True when the approval itself changed (or the package was created with one). */
  public boolean approvalChanged() {
    return updatedFields == null || updatedFields.isEmpty()
        || updatedFields.contains(APPROVAL_FIELD);
  }

  private static String identity(Object userContext, String fallback) {
    if (userContext instanceof Map<?, ?> m) {
      if (m.get("IamIdentity") instanceof Map<?, ?> iam && iam.get("Arn") instanceof String a) {
        return a;
      }
      if (m.get("UserProfileName") instanceof String u) {
        return u;
      }
    }
    return fallback;
  }
}
