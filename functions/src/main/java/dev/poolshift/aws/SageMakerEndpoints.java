package dev.poolshift.aws;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.ResourceConflictException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.port.Endpoints;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Alarm;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.UpdateEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.VariantProperty;

/**
 * {@link Endpoints} on SageMaker. DescribeEndpoint, DescribeEndpointConfig and
 * CreateEndpointConfig go through {@link InstancePoolsWirePatch}: their instance-pool fields are
 * read from and written to the raw JSON.
 */
public final class SageMakerEndpoints implements Endpoints {
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerEndpoints.class);
  private final SageMakerClient sageMaker;
  /**
   * Endpoint ARNs by name, as DescribeEndpoint reported them: ListTags needs the ARN, and the
   * plan has always described the endpoint just before it reads its tags. An ARN never changes
   * for a name (it is built from it), so this holds only facts.
   */
  private final Map<String, String> endpointArns = new ConcurrentHashMap<>();

  public SageMakerEndpoints(SageMakerClient sageMaker) {
    this.sageMaker = sageMaker;
  }

  @Override
  public EndpointState describe(String endpointName) {
    DescribeEndpointRequest.Builder request =
        DescribeEndpointRequest.builder().endpointName(endpointName);
    InstancePoolsWirePatch.Exchange exchange = InstancePoolsWirePatch.attach(request, null);
    try {
      sageMaker.describeEndpoint(request.build());
    } catch (SdkException e) {
      throw SageMakerErrors.translate("DescribeEndpoint " + endpointName, e,
          EndpointNotFoundException::new);
    }
    Map<String, Object> json = exchange.responseJson();
    if (json.get("EndpointArn") instanceof String arn) {
      endpointArns.put(endpointName, arn);
    }
    return SageMakerJson.endpoint(json);
  }

  @Override
  public Map<String, String> endpointTags(String endpointName) {
    String arn = endpointArns.get(endpointName);
    if (arn == null) {
      try {
        arn = sageMaker.describeEndpoint(b -> b.endpointName(endpointName)).endpointArn();
      } catch (SdkException e) {
        throw SageMakerErrors.translate("DescribeEndpoint " + endpointName, e,
            EndpointNotFoundException::new);
      }
      endpointArns.put(endpointName, arn);
    }
    return tags(arn, EndpointNotFoundException::new);
  }

  @Override
  public EndpointConfigSpec describeConfig(String endpointConfigName) {
    DescribeEndpointConfigRequest.Builder request =
        DescribeEndpointConfigRequest.builder().endpointConfigName(endpointConfigName);
    InstancePoolsWirePatch.Exchange exchange = InstancePoolsWirePatch.attach(request, null);
    DescribeEndpointConfigResponse response;
    try {
      response = sageMaker.describeEndpointConfig(request.build());
    } catch (SdkException e) {
      throw SageMakerErrors.translate("DescribeEndpointConfig " + endpointConfigName, e,
          EndpointConfigNotFoundException::new);
    }
    return SageMakerJson.config(exchange.responseJson(), tags(response.endpointConfigArn(),
        EndpointConfigNotFoundException::new));
  }

  @Override
  public void createConfig(EndpointConfigSpec config) {
    // The SDK request is a typed skeleton; the wire patch puts the full body (pools, carried
    // fields) on the wire.
    CreateEndpointConfigRequest.Builder request = CreateEndpointConfigRequest.builder()
        .endpointConfigName(config.name())
        .productionVariants(
            config.productionVariants().stream().map(SageMakerEndpoints::skeleton).toList())
        .tags(config.tags().entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
    InstancePoolsWirePatch.attach(request, SageMakerJson.createConfigBody(config));
    try {
      sageMaker.createEndpointConfig(request.build());
    } catch (SdkException e) {
      if (!SageMakerErrors.isAlreadyExists(e)) {
        throw SageMakerErrors.translate("CreateEndpointConfig " + config.name(), e,
            EndpointConfigNotFoundException::new);
      }
      requireSameConfig(config, e);
      LOG.info("endpoint config already exists and is this deployment's; CreateEndpointConfig"
          + " counts as done", entry("endpointConfigName", config.name()));
    }
  }

  /**
   * Idempotent for retries: when the endpoint already runs {@code endpointConfigName}, or is
   * already deploying it, the call is not repeated (a repeat would start another deployment, or
   * fail as "in-progress").
   */
  @Override
  public void update(EndpointUpdate update) {
    update(update, describe(update.endpointName()));
  }

  @Override
  public void update(EndpointUpdate update, EndpointState now) {
    if (update.endpointConfigName().equals(now.pendingConfigName())
        || (update.endpointConfigName().equals(now.endpointConfigName()) && now.inService())) {
      LOG.info("endpoint already on or moving to the requested config; UpdateEndpoint skipped",
          entry("endpointName", update.endpointName()),
          entry("endpointConfigName", update.endpointConfigName()),
          entry("endpointStatus", now.status()));
      return;
    }
    UpdateEndpointRequest.Builder request = UpdateEndpointRequest.builder()
        .endpointName(update.endpointName())
        .endpointConfigName(update.endpointConfigName())
        .retainAllVariantProperties(update.retainAllVariantProperties());
    if (!update.excludeRetained().isEmpty()) {
      request.excludeRetainedVariantProperties(update.excludeRetained().stream()
          .map(p -> VariantProperty.builder().variantPropertyType(p).build()).toList());
    }
    if (!update.autoRollbackAlarms().isEmpty() || update.terminationWaitSeconds() != null) {
      request.deploymentConfig(d -> {
        if (!update.autoRollbackAlarms().isEmpty()) {
          d.autoRollbackConfiguration(a -> a.alarms(update.autoRollbackAlarms().stream()
              .map(n -> Alarm.builder().alarmName(n).build()).toList()));
        }
        if (update.terminationWaitSeconds() != null) {
          d.blueGreenUpdatePolicy(b -> b
              .trafficRoutingConfiguration(t -> t.type("ALL_AT_ONCE").waitIntervalInSeconds(0))
              .terminationWaitInSeconds(update.terminationWaitSeconds()));
        }
      });
    }
    try {
      sageMaker.updateEndpoint(request.build());
    } catch (SdkException e) {
      throw SageMakerErrors.translate("UpdateEndpoint " + update.endpointName() + " to "
          + update.endpointConfigName(), e, EndpointNotFoundException::new);
    }
  }

  @Override
  public boolean deleteConfig(String endpointConfigName) {
    // Read first: the delete is allowed only on configs tagged poolshift:deployment, and IAM sees
    // no tag on a config that does not exist, so deleting one that was never created (a rollout
    // that failed before its final config) is refused rather than answered "not found".
    if (!configExists(endpointConfigName)) {
      return false;
    }
    return deleteExistingConfig(endpointConfigName);
  }

  @Override
  public boolean deleteExistingConfig(String endpointConfigName) {
    try {
      sageMaker.deleteEndpointConfig(b -> b.endpointConfigName(endpointConfigName));
      return true;
    } catch (SdkException e) {
      // Gone after all (deleted by an earlier attempt): IAM refuses the tag-conditioned delete
      // of a config that does not exist, so only then is the config read.
      if (SageMakerErrors.isNotFound(e)
          || SageMakerErrors.isAccessDenied(e) && !configExists(endpointConfigName)) {
        return false;
      }
      throw SageMakerErrors.translate("DeleteEndpointConfig " + endpointConfigName, e,
          EndpointConfigNotFoundException::new);
    }
  }

  @Override
  public java.util.Set<String> modelNamesOf(String endpointConfigName) {
    // Through the wire patch: the per-hardware builds of a pooled variant (its pools'
    // ModelNameOverride) are models in use too, and the SDK's typed answer has no pools.
    DescribeEndpointConfigRequest.Builder request =
        DescribeEndpointConfigRequest.builder().endpointConfigName(endpointConfigName);
    InstancePoolsWirePatch.Exchange exchange = InstancePoolsWirePatch.attach(request, null);
    try {
      sageMaker.describeEndpointConfig(request.build());
    } catch (SdkException e) {
      throw SageMakerErrors.translate("DescribeEndpointConfig " + endpointConfigName, e,
          EndpointConfigNotFoundException::new);
    }
    return SageMakerJson.config(exchange.responseJson(), Map.of()).modelNames();
  }

  /** Whether the config exists. */
  private boolean configExists(String endpointConfigName) {
    try {
      sageMaker.describeEndpointConfig(b -> b.endpointConfigName(endpointConfigName));
      return true;
    } catch (SdkException e) {
      if (SageMakerErrors.isNotFound(e)) {
        return false;
      }
      throw SageMakerErrors.translate("DescribeEndpointConfig " + endpointConfigName, e,
          EndpointConfigNotFoundException::new);
    }
  }

  private Map<String, String> tags(String resourceArn,
      BiFunction<String, Throwable, RolloutException> notFound) {
    Map<String, String> tags = new LinkedHashMap<>();
    String next = null;
    do {
      String token = next;
      ListTagsResponse page;
      try {
        page = sageMaker.listTags(b -> b.resourceArn(resourceArn).maxResults(100).nextToken(token));
      } catch (SdkException e) {
        throw SageMakerErrors.translate("ListTags " + resourceArn, e, notFound);
      }
      page.tags().forEach(t -> tags.put(t.key(), t.value()));
      next = page.nextToken();
    } while (next != null && !next.isEmpty());
    return tags;
  }

  /**
   * A retried create finds its own config (same deployment tag, same variants and models);
   * anything else under that name is a conflict, never silently reused.
   */
  private void requireSameConfig(EndpointConfigSpec wanted, SdkException alreadyExists) {
    EndpointConfigSpec existing = describeConfig(wanted.name());
    String ours = wanted.tags().get(EndpointConfigSpec.DEPLOYMENT_TAG);
    String theirs = existing.tags().get(EndpointConfigSpec.DEPLOYMENT_TAG);
    boolean same = ours != null && ours.equals(theirs)
        && sameVariants(wanted.productionVariants(), existing.productionVariants());
    if (!same) {
      throw new ResourceConflictException("CreateEndpointConfig " + wanted.name() + ": a config"
          + " of that name exists but is not this deployment's ("
          + EndpointConfigSpec.DEPLOYMENT_TAG + "=" + theirs + ", variants "
          + existing.variantNames() + "; expected " + ours + ", "
          + wanted.variantNames() + ")", alreadyExists);
    }
  }

  private static boolean sameVariants(List<VariantSpec> a, List<VariantSpec> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      VariantSpec x = a.get(i);
      VariantSpec y = b.get(i);
      if (!x.variantName().equals(y.variantName()) || !Objects.equals(x.modelName(), y.modelName())
          || !Objects.equals(x.instanceType(), y.instanceType())
          || !x.instancePools().equals(y.instancePools())) {
        return false;
      }
    }
    return true;
  }

  private static ProductionVariant skeleton(VariantSpec v) {
    return ProductionVariant.builder()
        .variantName(v.variantName())
        .modelName(v.modelName())
        .initialInstanceCount(v.initialInstanceCount())
        .instanceType(v.instanceType())
        .initialVariantWeight(v.initialVariantWeight() == null ? null
            : v.initialVariantWeight().floatValue())
        .build();
  }
}
