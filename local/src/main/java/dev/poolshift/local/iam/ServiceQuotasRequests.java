package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import java.util.List;

/**
 * Service Quotas' request contexts (JSON 1.1; Service Authorization Reference, "Service Quotas"):
 * listing has no resource-level permissions; one quota is {@code arn:...:servicequotas:<region>:
 * <account>:<service code>/<quota code>}.
 */
final class ServiceQuotasRequests implements ServiceRequests {
  private final AwsContext aws;

  ServiceQuotasRequests(AwsContext aws) {
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "servicequotas";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    return switch (op) {
      case "ListServiceQuotas", "ListServices", "ListAWSDefaultServiceQuotas" ->
          List.of(Authorization.of("servicequotas:" + op, "*"));
      case "GetServiceQuota", "GetAWSDefaultServiceQuota" -> List.of(Authorization.of("servicequotas:" + op,
          aws.arn("servicequotas", r.required("ServiceCode") + "/" + r.required("QuotaCode"))));
      default -> throw new UnmappedOperationException("servicequotas", op);
    };
  }
}
