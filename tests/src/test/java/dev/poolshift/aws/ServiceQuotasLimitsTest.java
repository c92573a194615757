package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.servicequotas.QuotaFixture;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.TransientServiceException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The quota adapter against the local Service Quotas, over the wire. */
class ServiceQuotasLimitsTest {
  private final QuotaFixture f = new QuotaFixture();
  private final ServiceQuotasLimits limits = new ServiceQuotasLimits(f.serviceQuotas);

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void readsTheEndpointUsageQuotaOfEachTypeAskedForAcrossPages() {
    f.world.setDefaultInstanceQuota(0);
    f.world.setInstanceQuota("ml.g5.2xlarge", 4);
    f.world.setInstanceQuota("ml.trn1.32xlarge", 2);

    var quotas = limits.endpointUsage(Set.of("ml.g5.2xlarge", "ml.g6.2xlarge", "ml.trn1.32xlarge"));

    assertThat(quotas).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("ml.g5.2xlarge", 4,
        "ml.g6.2xlarge", 0, "ml.trn1.32xlarge", 2));
  }

  @Test
  void aTypeWithoutAnAppliedValueIsLeftOut() {
    f.world.setInstanceQuota("ml.g5.2xlarge", 4);

    assertThat(limits.endpointUsage(Set.of("ml.g5.2xlarge", "ml.g6.2xlarge"))).containsOnlyKeys("ml.g5.2xlarge");
  }

  @Test
  void accessDeniedIsAServiceCallErrorNamingTheCode() {
    f.quotas.faults().failNext("ListServiceQuotas", "AccessDeniedException", "not authorized", 1);

    assertThatThrownBy(() -> limits.endpointUsage(Set.of("ml.g5.2xlarge")))
        .isInstanceOf(ServiceCallException.class)
        .hasMessageContaining("ListServiceQuotas sagemaker: AccessDeniedException");
  }

  @Test
  void throttlingIsTransient() {
    f.quotas.faults().failNext("ListServiceQuotas", "TooManyRequestsException", "slow down", 5);

    assertThatThrownBy(() -> limits.endpointUsage(Set.of("ml.g5.2xlarge")))
        .isInstanceOf(TransientServiceException.class);
  }
}
