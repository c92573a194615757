package dev.poolshift.rollout.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.InstancePool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentRolloutTest {
  private static final List<InstancePool> POOLS = List.of(
      new InstancePool("ml.g6.2xlarge", 2, null), new InstancePool("ml.g6e.2xlarge", 1, null));
  private static final Map<String, Object> GPU_8G =
      Map.of("NumberOfAcceleratorDevicesRequired", 1, "MinMemoryRequiredInMb", 8192);
  private static final Map<String, Object> GPU_4G =
      Map.of("NumberOfAcceleratorDevicesRequired", 1, "MinMemoryRequiredInMb", 4096);
  private static final Map<String, Object> CONTAINER =
      Map.of("Container", Map.of("Environment", Map.of("MAX_BATCH", "8")));

  @Test
  void aSingleSpecificationBecomesOneEntryPerPoolTypeInPriorityOrderWithEachTypesBuild() {
    ComponentUpdate u = ComponentRollout.plan("churn-ic", List.of(
        new ComponentSpecification(null, "churn-v41", GPU_8G, CONTAINER)), POOLS, "churn-v42",
        Map.of("ml.g6.2xlarge", "churn-v42-g6"), 10, 600, List.of("a", "b"));

    assertThat(u.specifications()).hasSize(2);
    ComponentSpecification first = u.specifications().get(0);
    assertThat(first.instanceType()).isEqualTo("ml.g6e.2xlarge");
    assertThat(first.modelName()).isEqualTo("churn-v42");
    assertThat(first.computeResourceRequirements()).isEqualTo(GPU_8G);
    assertThat(first.carried()).isEqualTo(CONTAINER);
    ComponentSpecification second = u.specifications().get(1);
    assertThat(second.instanceType()).isEqualTo("ml.g6.2xlarge");
    assertThat(second.modelName()).isEqualTo("churn-v42-g6");
    assertThat(second.computeResourceRequirements()).isEqualTo(GPU_8G);
    assertThat(u.batchPercent()).isEqualTo(10);
    assertThat(u.waitIntervalSeconds()).isEqualTo(600);
    assertThat(u.rollbackBatchPercent()).isEqualTo(100);
    assertThat(u.maximumExecutionTimeoutSeconds()).isEqualTo(10 * (600 + 600));
    assertThat(u.autoRollbackAlarms()).containsExactly("a", "b");
  }

  @Test
  void perTypeSpecificationsKeepEachTypesOwnComputeAndDropTypesThePoolsNoLongerList() {
    ComponentUpdate u = ComponentRollout.plan("churn-ic", List.of(
        new ComponentSpecification("ml.g6e.2xlarge", "churn-v41", GPU_8G, Map.of()),
        new ComponentSpecification("ml.g6.2xlarge", "churn-v41-g6", GPU_4G, Map.of()),
        new ComponentSpecification("ml.g5.2xlarge", "churn-v41", GPU_8G, Map.of())),
        POOLS, "churn-v42", Map.of(), 10, 600, List.of());

    assertThat(u.specifications()).extracting(ComponentSpecification::instanceType)
        .containsExactly("ml.g6e.2xlarge", "ml.g6.2xlarge");
    assertThat(u.specifications().get(1).computeResourceRequirements()).isEqualTo(GPU_4G);
    assertThat(u.specifications()).extracting(ComponentSpecification::modelName)
        .containsOnly("churn-v42");
  }

  @Test
  void aPoolTypeWithoutItsOwnEntryIsRefusedNamingTheType() {
    assertThatThrownBy(() -> ComponentRollout.plan("churn-ic", List.of(
        new ComponentSpecification("ml.g6e.2xlarge", "churn-v41", GPU_8G, Map.of())),
        POOLS, "churn-v42", Map.of(), 10, 600, List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("instancePools")
        .hasMessageContaining("no Specifications entry for ml.g6.2xlarge");
  }

  @Test
  void theBatchIsHeldWithinWhatSageMakerAllowsAndTooLongABakeIsRefusedNamingBakeSeconds() {
    ComponentUpdate small = ComponentRollout.plan("churn-ic", List.of(
        new ComponentSpecification(null, "churn-v41", GPU_8G, Map.of())), POOLS, "churn-v42",
        Map.of(), 1, 60, List.of());
    ComponentUpdate large = ComponentRollout.plan("churn-ic", List.of(
        new ComponentSpecification(null, "churn-v41", GPU_8G, Map.of())), POOLS, "churn-v42",
        Map.of(), 100, 60, List.of());

    assertThat(small.batchPercent()).isEqualTo(5);
    assertThat(large.batchPercent()).isEqualTo(50);
    assertThatThrownBy(() -> ComponentRollout.plan("churn-ic", List.of(
        new ComponentSpecification(null, "churn-v41", GPU_8G, Map.of())), POOLS, "churn-v42",
        Map.of(), 10, 3600, List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("bakeSeconds");
  }

  @Test
  void anAdapterComponentIsRefused() {
    assertThatThrownBy(() -> ComponentRollout.plan("churn-adapter", List.of(
        new ComponentSpecification(null, null, Map.of(),
            Map.of("BaseInferenceComponentName", "churn-ic"))), POOLS, "churn-v42", Map.of(),
        10, 600, List.of()))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("adapter");
  }

  @Test
  void aComponentThatRunsAContainerWithoutAModelIsRefusedAsSuch() {
    assertThatThrownBy(() -> ComponentRollout.plan("churn-raw", List.of(
        new ComponentSpecification(null, null, GPU_8G,
            Map.of("Container", Map.of("Image", "churn:41")))), POOLS, "churn-v42", Map.of(),
        10, 600, List.of()))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("runs a container directly");
  }
}
