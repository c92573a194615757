package dev.poolshift.aws;

import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.port.InferenceComponents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentRequest;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentCapacitySizeType;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSortKey;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSummary;
import software.amazon.awssdk.services.sagemaker.model.ListInferenceComponentsResponse;
import software.amazon.awssdk.services.sagemaker.model.OrderKey;
import software.amazon.awssdk.services.sagemaker.model.UpdateInferenceComponentRequest;

/**
 * {@link InferenceComponents} on SageMaker. SDK 2.40.2 does not model the per-instance-type
 * {@code Specifications} (nor {@code InferenceComponentSpecification.InstanceType},
 * {@code SchedulingConfig} and {@code RuntimeConfig.PlacementStatus}), so Describe reads the raw
 * response and Update puts {@code Specifications} on the wire through
 * {@link InstancePoolsWirePatch}; the rolling update policy and its alarms, which the SDK does
 * model, are built with its builders.
 */
public final class SageMakerInferenceComponents implements InferenceComponents {
  static final String SPECIFICATION = "Specification";
  static final String SPECIFICATIONS = "Specifications";
  private static final List<String> INTERPRETED =
      List.of("InstanceType", "ModelName", "ComputeResourceRequirements");

  private final SageMakerClient sageMaker;

  public SageMakerInferenceComponents(SageMakerClient sageMaker) {
    this.sageMaker = sageMaker;
  }

  @Override
  public List<String> onEndpoint(String endpointName) {
    List<String> names = new ArrayList<>();
    String next = null;
    do {
      String token = next;
      ListInferenceComponentsResponse page;
      try {
        page = sageMaker.listInferenceComponents(b -> b.endpointNameEquals(endpointName)
            .sortBy(InferenceComponentSortKey.CREATION_TIME).sortOrder(OrderKey.ASCENDING)
            .maxResults(100).nextToken(token));
      } catch (SdkException e) {
        throw SageMakerErrors.translate("ListInferenceComponents " + endpointName, e,
            IncompatibleEndpointException::new);
      }
      page.inferenceComponents().stream().map(InferenceComponentSummary::inferenceComponentName)
          .forEach(names::add);
      next = page.nextToken();
    } while (next != null && !next.isEmpty());
    return names;
  }

  @Override
  public ComponentState describe(String componentName) {
    DescribeInferenceComponentRequest.Builder request =
        DescribeInferenceComponentRequest.builder().inferenceComponentName(componentName);
    InstancePoolsWirePatch.Exchange exchange = InstancePoolsWirePatch.attach(request, null);
    try {
      sageMaker.describeInferenceComponent(request.build());
    } catch (SdkException e) {
      throw SageMakerErrors.translate("DescribeInferenceComponent " + componentName, e,
          IncompatibleEndpointException::new);
    }
    return state(exchange.responseJson());
  }

  @Override
  public void update(ComponentUpdate update) {
    UpdateInferenceComponentRequest.Builder request = UpdateInferenceComponentRequest.builder()
        .inferenceComponentName(update.inferenceComponentName())
        .deploymentConfig(d -> {
          d.rollingUpdatePolicy(r -> r
              .maximumBatchSize(s -> s.type(InferenceComponentCapacitySizeType.CAPACITY_PERCENT)
                  .value(update.batchPercent()))
              .waitIntervalInSeconds(update.waitIntervalSeconds())
              .maximumExecutionTimeoutInSeconds(update.maximumExecutionTimeoutSeconds())
              .rollbackMaximumBatchSize(s -> s
                  .type(InferenceComponentCapacitySizeType.CAPACITY_PERCENT)
                  .value(update.rollbackBatchPercent())));
          if (!update.autoRollbackAlarms().isEmpty()) {
            d.autoRollbackConfiguration(a -> a.alarms(update.autoRollbackAlarms().stream()
                .map(name -> software.amazon.awssdk.services.sagemaker.model.Alarm.builder()
                    .alarmName(name).build()).toList()));
          }
        });
    // A component that ran one Specification for every type gets it back in that form (the
    // one-entry list without a type means the same, but would leave the component changed).
    List<ComponentSpecification> specs = update.specifications();
    InstancePoolsWirePatch.attach(request, specs.size() == 1
        && specs.getFirst().instanceType() == null
        ? Map.of(SPECIFICATION, wire(specs.getFirst()))
        : Map.of(SPECIFICATIONS, specs.stream().map(SageMakerInferenceComponents::wire).toList()));
    try {
      sageMaker.updateInferenceComponent(request.build());
    } catch (SdkException e) {
      throw SageMakerErrors.translate("UpdateInferenceComponent "
          + update.inferenceComponentName(), e, IncompatibleEndpointException::new);
    }
  }

  /** One {@code Specifications} entry as SageMaker takes it. */
  static Map<String, Object> wire(ComponentSpecification s) {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (s.instanceType() != null) {
      entry.put("InstanceType", s.instanceType());
    }
    if (s.modelName() != null) {
      entry.put("ModelName", s.modelName());
    }
    if (!s.computeResourceRequirements().isEmpty()) {
      entry.put("ComputeResourceRequirements", s.computeResourceRequirements());
    }
    s.carried().forEach(entry::putIfAbsent);
    return entry;
  }

  /** DescribeInferenceComponent's raw response as a {@link ComponentState}. */
  static ComponentState state(Map<String, Object> json) {
    List<ComponentSpecification> specs = new ArrayList<>();
    if (json.get(SPECIFICATIONS) instanceof List<?> list) {
      list.forEach(e -> specs.add(specification(e)));
    } else if (json.get(SPECIFICATION) instanceof Map<?, ?> single) {
      specs.add(specification(single));
    }
    Integer desired = null;
    Integer current = null;
    Map<String, Integer> placed = new LinkedHashMap<>();
    if (json.get("RuntimeConfig") instanceof Map<?, ?> runtime) {
      desired = integer(runtime.get("DesiredCopyCount"));
      current = integer(runtime.get("CurrentCopyCount"));
      if (runtime.get("PlacementStatus") instanceof List<?> placement) {
        for (Object p : placement) {
          if (p instanceof Map<?, ?> m && m.get("InstanceType") instanceof String type) {
            placed.put(type, integer(m.get("CurrentCopyCount")));
          }
        }
      }
    }
    return new ComponentState(text(json.get("InferenceComponentName")),
        text(json.get("EndpointName")), text(json.get("VariantName")),
        text(json.get("InferenceComponentStatus")), text(json.get("FailureReason")), specs,
        desired, current, placed);
  }

  @SuppressWarnings("unchecked")
  private static ComponentSpecification specification(Object raw) {
    Map<String, Object> entry = raw instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Map<String, Object> carried = new LinkedHashMap<>(entry);
    INTERPRETED.forEach(carried::remove);
    Map<String, Object> compute = entry.get("ComputeResourceRequirements") instanceof Map<?, ?> c
        ? (Map<String, Object>) c : Map.of();
    return new ComponentSpecification(text(entry.get("InstanceType")),
        text(entry.get("ModelName")), compute, carried);
  }

  private static String text(Object value) {
    return value instanceof String s ? s : null;
  }

  private static Integer integer(Object value) {
    return value instanceof Number n ? n.intValue() : null;
  }
}
