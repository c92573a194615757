package dev.poolshift.aws;

import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.InstanceUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;

/**
 * {@link InstanceUsage} on SageMaker: {@code ListEndpoints}, then {@code DescribeEndpoint} of each
 * (and {@code DescribeEndpointConfig} where a variant runs one type, since the endpoint's variant
 * summary does not name it). Counts the active fleet and, during an update, the pending one:
 * SageMaker holds both. Pooled variants count their pools' {@code CurrentInstanceCount}. Shadow
 * variants are not counted. Read-only.
 */
public final class SageMakerInstanceUsage implements InstanceUsage {
  private final SageMakerClient sageMaker;
  private final Endpoints endpoints;

  public SageMakerInstanceUsage(SageMakerClient sageMaker, Endpoints endpoints) {
    this.sageMaker = sageMaker;
    this.endpoints = endpoints;
  }

  @Override
  public Usage endpointInstances(int maxEndpoints) {
    Map<String, Integer> byType = new TreeMap<>();
    Map<String, Optional<EndpointConfigSpec>> configs = new HashMap<>();
    int read = 0;
    boolean complete = true;
    try {
      for (EndpointSummary summary : sageMaker.listEndpointsPaginator(b -> b.maxResults(100))
          .endpoints()) {
        if (read == maxEndpoints) {
          complete = false;
          break;
        }
        EndpointState state;
        try {
          state = endpoints.describe(summary.endpointName());
        } catch (EndpointNotFoundException e) {
          continue;
        }
        read++;
        complete &= count(byType, state.productionVariants(), state.endpointConfigName(), configs);
        if (state.pendingConfigName() != null) {
          complete &= count(byType, state.pendingVariants(), state.pendingConfigName(), configs);
        }
      }
    } catch (SdkException e) {
      throw AwsErrors.translate("ListEndpoints", e);
    }
    return new Usage(byType, read, complete);
  }

  /**
   * Adds the variants' instances; false when some could not be placed on a type. SageMaker holds
   * the quota for instances still launching, which the summary shows only as
   * {@code DesiredInstanceCount}: a single-type variant counts the larger of current and desired;
   * a pooled variant's launching instances have no type yet, so they make the count partial.
   */
  private boolean count(Map<String, Integer> byType, List<VariantState> variants,
      String configName, Map<String, Optional<EndpointConfigSpec>> configs) {
    boolean complete = true;
    for (VariantState v : variants) {
      int current = v.currentInstanceCount() == null ? 0 : v.currentInstanceCount();
      int desired = v.desiredInstanceCount() == null ? 0 : v.desiredInstanceCount();
      if (!v.instancePools().isEmpty()) {
        int placed = 0;
        for (PoolCount p : v.instancePools()) {
          byType.merge(p.instanceType(), p.currentInstanceCount(), Integer::sum);
          placed += p.currentInstanceCount();
        }
        complete &= placed >= desired;
        continue;
      }
      int n = Math.max(current, desired);
      if (n == 0) {
        continue;
      }
      VariantSpec spec = configs.computeIfAbsent(configName, this::config)
          .map(c -> c.variant(v.variantName())).orElse(null);
      if (spec == null || spec.usesPools() || spec.instanceType() == null) {
        // The config is gone, or names pools the summary did not list yet.
        complete = false;
        continue;
      }
      byType.merge(spec.instanceType(), n, Integer::sum);
    }
    return complete;
  }

  /** A config may be deleted while an endpoint still runs it. */
  private Optional<EndpointConfigSpec> config(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(endpoints.describeConfig(name));
    } catch (EndpointConfigNotFoundException e) {
      return Optional.empty();
    }
  }
}
