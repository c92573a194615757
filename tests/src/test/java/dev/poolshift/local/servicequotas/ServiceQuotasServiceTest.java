package dev.poolshift.local.servicequotas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicequotas.model.AccessDeniedException;
import software.amazon.awssdk.services.servicequotas.model.InvalidPaginationTokenException;
import software.amazon.awssdk.services.servicequotas.model.ListServiceQuotasResponse;
import software.amazon.awssdk.services.servicequotas.model.NoSuchResourceException;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/** Service Quotas on the wire, through the SDK 2.40.2 client, reading the SageMaker world's quotas. */
class ServiceQuotasServiceTest {
  private final QuotaFixture f = new QuotaFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void anAccountWithoutQuotasListsNoAppliedValues() {
    List<ServiceQuota> quotas = f.serviceQuotas.listServiceQuotasPaginator(b -> b.serviceCode("sagemaker"))
        .quotas().stream().toList();

    assertThat(quotas).isEmpty();
  }

  @Test
  void declaredQuotasAreListedByNameWithTheValueSageMakerEnforcesAndEveryOtherTypeAtZero() {
    f.world.setDefaultInstanceQuota(0);
    f.world.setInstanceQuota("ml.g5.2xlarge", 4);
    f.world.setInstanceQuota("ml.x9.weird", 2);

    Map<String, Double> byName = f.serviceQuotas.listServiceQuotasPaginator(b -> b.serviceCode("sagemaker"))
        .quotas().stream().collect(Collectors.toMap(ServiceQuota::quotaName, ServiceQuota::value));

    assertThat(byName).containsEntry("ml.g5.2xlarge for endpoint usage", 4.0)
        .containsEntry("ml.x9.weird for endpoint usage", 2.0)
        .containsEntry("ml.g6.2xlarge for endpoint usage", 0.0)
        .hasSize(ServiceQuotasService.CATALOGUE.stream().distinct().toList().size() + 1);
  }

  @Test
  void aQuotaCarriesTheDocumentedMembersAndAStableMadeUpCode() {
    f.world.setInstanceQuota("ml.g5.2xlarge", 4);

    ServiceQuota q = f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("sagemaker")).quotas().getFirst();

    assertThat(q.serviceCode()).isEqualTo("sagemaker");
    assertThat(q.serviceName()).isEqualTo("Amazon SageMaker");
    assertThat(q.quotaCode()).matches("L-[0-9A-F]{8}").isEqualTo(ServiceQuotasService.quotaCode("ml.g5.2xlarge"));
    assertThat(q.quotaArn()).isEqualTo("arn:aws:servicequotas:us-east-1:111122223333:sagemaker/" + q.quotaCode());
    assertThat(q.unit()).isEqualTo("None");
    assertThat(q.adjustable()).isTrue();
    assertThat(q.globalQuota()).isFalse();
    assertThat(q.quotaAppliedAtLevelAsString()).isEqualTo("ACCOUNT");
  }

  @Test
  void pagesFollowNextTokenUntilEveryQuotaIsListedOnce() {
    f.world.setDefaultInstanceQuota(0);

    ListServiceQuotasResponse first = f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("sagemaker").maxResults(7));
    List<String> all = f.serviceQuotas.listServiceQuotasPaginator(b -> b.serviceCode("sagemaker").maxResults(7))
        .quotas().stream().map(ServiceQuota::quotaName).toList();
    List<String> defaultPage = f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("sagemaker")).quotas().stream()
        .map(ServiceQuota::quotaName).toList();

    assertThat(first.quotas()).hasSize(7);
    assertThat(first.nextToken()).isNotBlank();
    assertThat(all).doesNotHaveDuplicates().hasSize(ServiceQuotasService.CATALOGUE.stream().distinct().toList().size());
    assertThat(defaultPage).as("the default page is smaller than the list").hasSize(ServiceQuotasService.DEFAULT_PAGE);
  }

  @Test
  void getServiceQuotaFindsAQuotaByTheCodeTheListGave() {
    f.world.setInstanceQuota("ml.g5.4xlarge", 3);
    String code = f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("sagemaker")).quotas().getFirst().quotaCode();

    ServiceQuota q = f.serviceQuotas.getServiceQuota(b -> b.serviceCode("sagemaker").quotaCode(code)).quota();

    assertThat(q.quotaName()).isEqualTo("ml.g5.4xlarge for endpoint usage");
    assertThat(q.value()).isEqualTo(3.0);
  }

  @Test
  void aQuotaCodeFilterListsOnlyThatQuota() {
    f.world.setDefaultInstanceQuota(0);
    f.world.setInstanceQuota("ml.g5.4xlarge", 3);

    List<ServiceQuota> quotas = f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("sagemaker")
        .quotaCode(ServiceQuotasService.quotaCode("ml.g5.4xlarge"))).quotas();

    assertThat(quotas).singleElement().satisfies(q -> assertThat(q.value()).isEqualTo(3.0));
  }

  @Test
  void unknownCodesServicesAndTokensAreTheDocumentedErrors() {
    f.world.setInstanceQuota("ml.g5.4xlarge", 3);

    assertThatThrownBy(() -> f.serviceQuotas.getServiceQuota(b -> b.serviceCode("sagemaker").quotaCode("L-00000000")))
        .isInstanceOf(NoSuchResourceException.class);
    assertThatThrownBy(() -> f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("ec2")))
        .isInstanceOf(NoSuchResourceException.class);
    assertThatThrownBy(() -> f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("sagemaker").nextToken("bogus")))
        .isInstanceOf(InvalidPaginationTokenException.class);
  }

  @Test
  void anInjectedAccessDeniedReachesTheClientAsItsModeledException() {
    f.quotas.faults().failNext("ListServiceQuotas", "AccessDeniedException",
        "User is not authorized to perform: servicequotas:ListServiceQuotas", 1);

    assertThatThrownBy(() -> f.serviceQuotas.listServiceQuotas(b -> b.serviceCode("sagemaker")))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("servicequotas:ListServiceQuotas");
  }
}
