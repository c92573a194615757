package dev.poolshift.aws;

import dev.poolshift.rollout.port.InstanceQuotas;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/**
 * {@link InstanceQuotas} on Service Quotas: one paginated {@code ListServiceQuotas} for service
 * code {@code sagemaker}, picking the quotas named "{@code <type> for endpoint usage}". Quota
 * codes are not hard-coded: AWS assigns them and the names are what the console shows. Read-only.
 */
public final class ServiceQuotasLimits implements InstanceQuotas {
  static final String SERVICE_CODE = "sagemaker";
  static final String SUFFIX = " for endpoint usage";
  private final ServiceQuotasClient client;

  public ServiceQuotasLimits(ServiceQuotasClient client) {
    this.client = client;
  }

  @Override
  public Map<String, Integer> endpointUsage(Set<String> instanceTypes) {
    Map<String, Integer> out = new TreeMap<>();
    try {
      for (ServiceQuota q : client.listServiceQuotasPaginator(b -> b.serviceCode(SERVICE_CODE))
          .quotas()) {
        String name = q.quotaName();
        if (name == null || !name.endsWith(SUFFIX) || q.value() == null) {
          continue;
        }
        String type = name.substring(0, name.length() - SUFFIX.length());
        if (instanceTypes.contains(type)) {
          // Values are doubles on the wire; instance counts are whole.
          out.put(type, (int) Math.floor(q.value()));
        }
      }
    } catch (SdkException e) {
      throw AwsErrors.translate("ListServiceQuotas " + SERVICE_CODE, e);
    }
    return out;
  }
}
