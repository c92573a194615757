package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.profile.PoolPreference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolMigrationTest {
  private static final List<PoolPreference> FRAUD_POOLS = List.of(
      new PoolPreference("ml.g5.2xlarge", 1, null),
      new PoolPreference("ml.g5.4xlarge", 2, null),
      new PoolPreference("ml.g6.2xlarge", 3, "g6-int8"));

  /** A single-type variant with the fields a real config carries besides the typed ones. */
  private static VariantSpec singleType(String type) {
    Map<String, Object> carried = new LinkedHashMap<>();
    carried.put("ContainerStartupHealthCheckTimeoutInSeconds", 900);
    carried.put("ModelDataDownloadTimeoutInSeconds", 1200);
    carried.put("VolumeSizeInGB", 64);
    carried.put("RoutingConfig", Map.of("RoutingStrategy", "RANDOM",
        "PrefixAwareRoutingConfig", Map.of("PrefixLength", 32)));
    carried.put("CoreDumpConfig", Map.of("DestinationS3Uri", "s3://dumps/fraud"));
    return new VariantSpec("AllTraffic", "fraud-scoring-v41", 3, type, List.of(), null, 1.0, carried);
  }

  private static PoolTarget target(List<PoolPreference> pools, boolean keepFirst, boolean override) {
    return new PoolTarget("fraud-scoring-v42", pools, Map.of("ml.g6.2xlarge", "fraud-scoring-v42-g6"),
        1200, keepFirst, override, null, null);
  }

  @Test
  void aSingleTypeVariantMovesOntoTheProfilesPoolsWithItsTypeFirst() {
    VariantSpec migrated = PoolMigration.migrate(singleType("ml.g5.2xlarge"),
        target(FRAUD_POOLS, true, false));

    assertThat(migrated.instanceType()).isNull();
    assertThat(migrated.instancePools()).containsExactly(
        new InstancePool("ml.g5.2xlarge", 1, null),
        new InstancePool("ml.g5.4xlarge", 2, null),
        new InstancePool("ml.g6.2xlarge", 3, "fraud-scoring-v42-g6"));
    assertThat(migrated.provisionTimeoutSeconds()).isEqualTo(1200);
    assertThat(migrated.modelName()).isEqualTo("fraud-scoring-v42");
  }

  @Test
  void theCurrentTypeStaysPreferredEvenWhenTheProfileRanksItLower() {
    VariantSpec migrated = PoolMigration.migrate(singleType("ml.g5.4xlarge"),
        target(FRAUD_POOLS, true, false));

    assertThat(migrated.instancePools()).extracting(InstancePool::instanceType)
        .containsExactly("ml.g5.4xlarge", "ml.g5.2xlarge", "ml.g6.2xlarge");
    assertThat(migrated.instancePools()).extracting(InstancePool::priority).containsExactly(1, 2, 3);
  }

  @Test
  void aCurrentTypeOutsideTheProfileIsKeptFirstAndTheProfileFollows() {
    VariantSpec migrated = PoolMigration.migrate(singleType("ml.p4d.24xlarge"),
        target(FRAUD_POOLS, true, false));

    assertThat(migrated.instancePools()).extracting(InstancePool::instanceType)
        .containsExactly("ml.p4d.24xlarge", "ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
  }

  @Test
  void keepCurrentTypeFirstFalseUsesTheProfileOrderAlone() {
    VariantSpec migrated = PoolMigration.migrate(singleType("ml.p4d.24xlarge"),
        target(FRAUD_POOLS, false, false));

    assertThat(migrated.instancePools()).extracting(InstancePool::instanceType)
        .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
  }

  @Test
  void keepingTheCurrentTypeMayNotPushThePoolsPastFive() {
    List<PoolPreference> five = List.of(new PoolPreference("ml.g5.xlarge", 1, null),
        new PoolPreference("ml.g5.2xlarge", 2, null), new PoolPreference("ml.g5.4xlarge", 3, null),
        new PoolPreference("ml.g6.xlarge", 4, null), new PoolPreference("ml.g6.2xlarge", 5, null));

    assertThatThrownBy(() -> PoolMigration.migrate(singleType("ml.p4d.24xlarge"), target(five, true, false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("instancePools: the current type ml.p4d.24xlarge kept first plus the"
            + " profile's pools make 6 pools, at most 5");
  }

  @Test
  void everyOtherFieldIsCarriedOverAndTheVariantsOwnRoutingIsKept() {
    VariantSpec current = singleType("ml.g5.2xlarge");

    VariantSpec migrated = PoolMigration.migrate(current, target(FRAUD_POOLS, true, false));

    assertThat(migrated.carried()).containsEntry("ContainerStartupHealthCheckTimeoutInSeconds", 900)
        .containsEntry("ModelDataDownloadTimeoutInSeconds", 1200)
        .containsEntry("VolumeSizeInGB", 64)
        .containsEntry("CoreDumpConfig", Map.of("DestinationS3Uri", "s3://dumps/fraud"))
        .containsEntry("RoutingConfig", current.carried().get("RoutingConfig"));
    assertThat(migrated.carried().keySet()).isEqualTo(current.carried().keySet());
    assertThat(migrated.initialInstanceCount()).isEqualTo(3);
    assertThat(migrated.initialVariantWeight()).isEqualTo(1.0);
    assertThat(migrated.variantName()).isEqualTo("AllTraffic");
  }

  @Test
  void aVariantWithoutRoutingGetsLeastOutstandingRequests() {
    VariantSpec current = singleType("ml.g5.2xlarge").withCarried("RoutingConfig", null);

    VariantSpec migrated = PoolMigration.migrate(current, target(FRAUD_POOLS, true, false));

    assertThat(migrated.carried()).containsEntry("RoutingConfig",
        Map.of("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS"));
  }

  @Test
  void prefixAwareRoutingIsKeptWithItsSettings() {
    VariantSpec current = singleType("ml.g5.2xlarge").withCarried("RoutingConfig", Map.of(
        "RoutingStrategy", "PREFIX_AWARE", "PrefixAwareRoutingConfig",
        Map.of("PrefixLength", 64, "ConcurrencyThreshold", 8)));

    VariantSpec migrated = PoolMigration.migrate(current, target(FRAUD_POOLS, true, false));

    assertThat(migrated.carried().get("RoutingConfig")).isEqualTo(Map.of(
        "RoutingStrategy", "PREFIX_AWARE", "PrefixAwareRoutingConfig",
        Map.of("PrefixLength", 64, "ConcurrencyThreshold", 8)));
  }

  @Test
  void theProfilesRoutingStrategyReplacesTheVariantsAndDropsPrefixSettings() {
    VariantSpec current = singleType("ml.g5.2xlarge").withCarried("RoutingConfig", Map.of(
        "RoutingStrategy", "PREFIX_AWARE", "PrefixAwareRoutingConfig", Map.of("PrefixLength", 64)));
    PoolTarget t = new PoolTarget("m", FRAUD_POOLS, Map.of(), 1200, true, false, null,
        "LEAST_OUTSTANDING_REQUESTS");

    VariantSpec migrated = PoolMigration.migrate(current, t);

    assertThat(migrated.carried().get("RoutingConfig")).isEqualTo(
        Map.of("RoutingStrategy", "LEAST_OUTSTANDING_REQUESTS"));
  }

  @Test
  void anExplicitInstanceCountReplacesTheCurrentOne() {
    PoolTarget t = new PoolTarget("m", FRAUD_POOLS, Map.of(), 1200, true, false, 5, null);

    assertThat(PoolMigration.migrate(singleType("ml.g5.2xlarge"), t).initialInstanceCount()).isEqualTo(5);
  }

  @Test
  void aVariantAlreadyOnPoolsKeepsItsPoolsAndTimeoutAndOnlyChangesModels() {
    VariantSpec pooled = new VariantSpec("AllTraffic", "fraud-scoring-v41", 2, null, List.of(
        new InstancePool("ml.g6e.2xlarge", 1, null),
        new InstancePool("ml.g6.2xlarge", 2, "fraud-scoring-v41-g6")), 900, 1.0, Map.of());

    VariantSpec migrated = PoolMigration.migrate(pooled, target(FRAUD_POOLS, true, false));

    assertThat(migrated.instancePools()).containsExactly(
        new InstancePool("ml.g6e.2xlarge", 1, null),
        new InstancePool("ml.g6.2xlarge", 2, "fraud-scoring-v42-g6"));
    assertThat(migrated.provisionTimeoutSeconds()).isEqualTo(900);
    assertThat(migrated.modelName()).isEqualTo("fraud-scoring-v42");
  }

  @Test
  void overrideExistingPoolsReplacesThemWithTheProfilesKeepingThePreferredTypeFirst() {
    VariantSpec pooled = new VariantSpec("AllTraffic", "fraud-scoring-v41", 2, null, List.of(
        new InstancePool("ml.g6e.2xlarge", 1, null), new InstancePool("ml.g6.2xlarge", 2, null)),
        900, 1.0, Map.of());

    VariantSpec migrated = PoolMigration.migrate(pooled, target(FRAUD_POOLS, true, true));

    assertThat(migrated.instancePools()).extracting(InstancePool::instanceType)
        .containsExactly("ml.g6e.2xlarge", "ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
    assertThat(migrated.provisionTimeoutSeconds()).isEqualTo(1200);
  }

  @Test
  void aKeptPoolWhoseOldBuildHasNoNewBuildIsRefusedRatherThanRunningTheOldModel() {
    VariantSpec pooled = new VariantSpec("AllTraffic", "fraud-scoring-v41", 2, null, List.of(
        new InstancePool("ml.g5.2xlarge", 1, null),
        new InstancePool("ml.inf2.xlarge", 2, "fraud-scoring-v41-inf2")), 900, 1.0, Map.of());

    assertThatThrownBy(() -> PoolMigration.migrate(pooled, target(FRAUD_POOLS, true, false)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("instancePools: the endpoint's pool ml.inf2.xlarge runs a per-pool"
            + " model (fraud-scoring-v41-inf2)");
  }

  @Test
  void serverlessVariantsCannotUsePools() {
    VariantSpec serverless = new VariantSpec("AllTraffic", "m", null, null, List.of(), null, 1.0,
        Map.of("ServerlessConfig", Map.of("MemorySizeInMB", 2048, "MaxConcurrency", 5)));

    assertThatThrownBy(() -> PoolMigration.migrate(serverless, target(FRAUD_POOLS, true, false)))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("serverless");
  }

  @Test
  void inferenceComponentVariantsAreRefused() {
    VariantSpec ic = new VariantSpec("AllTraffic", null, 1, "ml.g5.2xlarge", List.of(), null, 1.0, Map.of());

    assertThatThrownBy(() -> PoolMigration.migrate(ic, target(FRAUD_POOLS, true, false)))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("inference-component");
  }

  @Test
  void anInferenceComponentVariantMovesOntoPoolsWithoutAModelWhenTheTargetNamesNone() {
    VariantSpec ic = new VariantSpec("AllTraffic", null, 2, "ml.g5.2xlarge", List.of(), null, 1.0,
        Map.of("ManagedInstanceScaling", Map.of("Status", "ENABLED", "MinInstanceCount", 1)));

    VariantSpec pooled = PoolMigration.migrate(ic, new PoolTarget(null, FRAUD_POOLS, Map.of(),
        1200, true, false, null, null));

    assertThat(pooled.modelName()).isNull();
    assertThat(pooled.instanceType()).isNull();
    assertThat(pooled.instancePools()).extracting(InstancePool::instanceType)
        .startsWith("ml.g5.2xlarge");
    assertThat(pooled.instancePools()).allSatisfy(p -> assertThat(p.modelNameOverride()).isNull());
    assertThat(pooled.carried()).containsKey("ManagedInstanceScaling");
  }
}
