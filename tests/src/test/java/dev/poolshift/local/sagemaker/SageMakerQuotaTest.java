package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.servicequotas.QuotaFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;

/**
 * The account's "for endpoint usage" quotas across all its endpoints: an update holds the old
 * and the new fleet, so it needs room for both.
 */
class SageMakerQuotaTest {
  private final QuotaFixture f = new QuotaFixture();
  private final SageMakerClient sm = f.sageMaker();

  @AfterEach
  void close() {
    sm.close();
    f.close();
  }

  private void config(String name, String model, String type, int count) {
    sm.createEndpointConfig(b -> b.endpointConfigName(name).productionVariants(v -> v.variantName("primary")
        .modelName(model).instanceType(type).initialInstanceCount(count).initialVariantWeight(1f)));
  }

  @Test
  void anUpdateWhoseNewFleetDoesNotFitNextToEveryEndpointsInstancesIsRefused() {
    f.world.setInstanceQuota("ml.g5.2xlarge", 5);
    f.singleType("churn-prod", "ml.g5.2xlarge", 2);
    f.singleType("fraud-prod", "ml.g5.2xlarge", 1);
    config("churn-v2", "churn-prod-model", "ml.g5.2xlarge", 3);

    assertThatThrownBy(() -> sm.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("churn-v2")))
        .isInstanceOf(ResourceLimitExceededException.class)
        .hasMessageContaining("'ml.g5.2xlarge for endpoint usage' is 5 Instances, with current utilization of 3"
            + " Instances and a request delta of 3 Instances");
    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("InService");
    assertThat(f.world.requireEndpoint("churn-prod").configName()).isEqualTo("churn-prod-config");
  }

  @Test
  void anUpdateThatFitsNextToTheOldFleetIsAccepted() {
    f.world.setInstanceQuota("ml.g5.2xlarge", 6);
    f.singleType("churn-prod", "ml.g5.2xlarge", 2);
    f.singleType("fraud-prod", "ml.g5.2xlarge", 1);
    config("churn-v2", "churn-prod-model", "ml.g5.2xlarge", 3);

    sm.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("churn-v2"));

    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("Updating");
  }

  @Test
  void withQuotasDeclaredATypeWithoutItsOwnHasTheDefault() {
    f.world.setDefaultInstanceQuota(0);
    f.world.setInstanceQuota("ml.g5.2xlarge", 4);
    f.singleType("churn-prod", "ml.g5.2xlarge", 1);
    config("churn-g6", "churn-prod-model", "ml.g6.2xlarge", 1);

    assertThatThrownBy(() -> sm.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("churn-g6")))
        .isInstanceOf(ResourceLimitExceededException.class)
        .hasMessageContaining("'ml.g6.2xlarge for endpoint usage' is 0 Instances");
  }

  @Test
  void raisingAVariantsCountBeyondTheQuotaIsRefused() {
    f.world.setInstanceQuota("ml.g5.2xlarge", 3);
    f.singleType("churn-prod", "ml.g5.2xlarge", 2);

    assertThatThrownBy(() -> sm.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(d -> d.variantName("primary").desiredInstanceCount(4))))
        .isInstanceOf(ResourceLimitExceededException.class);
    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("InService");
  }

  @Test
  void withoutQuotasNothingIsEnforced() {
    f.singleType("churn-prod", "ml.g5.2xlarge", 2);
    config("churn-v2", "churn-prod-model", "ml.g5.2xlarge", 40);

    sm.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("churn-v2"));

    assertThat(f.world.instanceQuota("ml.g5.2xlarge")).isNull();
    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("Updating");
  }
}
