package dev.poolshift.aws;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.ModelNotFoundException;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.ResourceConflictException;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.port.ModelRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AdditionalInferenceSpecificationDefinition;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.CreateModelRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelPackageResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelResponse;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/** {@link ModelRegistry} on the SageMaker Model Registry and CreateModel/DeleteModel. */
public final class SageMakerModelRegistry implements ModelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerModelRegistry.class);
  private final SageMakerClient sageMaker;

  public SageMakerModelRegistry(SageMakerClient sageMaker) {
    this.sageMaker = sageMaker;
  }

  @Override
  public ModelPackage describePackage(ModelPackageArn arn) {
    DescribeModelPackageResponse r;
    try {
      r = sageMaker.describeModelPackage(b -> b.modelPackageName(arn.toString()));
    } catch (SdkException e) {
      throw SageMakerErrors.translate("DescribeModelPackage " + arn, e,
          ModelPackageNotFoundException::new);
    }
    return new ModelPackage(r.modelPackageArn(), r.modelPackageGroupName(),
        r.modelPackageVersion() == null ? arn.version() : r.modelPackageVersion(),
        r.modelPackageStatusAsString(), r.modelApprovalStatusAsString(),
        r.additionalInferenceSpecifications().stream()
            .map(AdditionalInferenceSpecificationDefinition::name).toList(),
        r.customerMetadataProperties());
  }

  /**
   * The SDK request is a typed skeleton; when the model carries settings, the wire patch puts
   * them on the wire as read, fields newer than our SDK (ContainerMetricsConfig) included.
   */
  @Override
  public void createModel(ModelToCreate model) {
    CreateModelRequest.Builder request = CreateModelRequest.builder()
        .modelName(model.modelName())
        .primaryContainer(c -> c
            .modelPackageName(model.modelPackageArn())
            .inferenceSpecificationName(model.inferenceSpecificationName()))
        .executionRoleArn(model.executionRoleArn())
        .tags(model.tags().entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
    ModelSettings carried = model.carried();
    if (!carried.model().isEmpty() || !carried.container().isEmpty() || model.copiesModel()) {
      Map<String, Object> container = new LinkedHashMap<>(carried.container());
      if (model.copiesModel()) {
        // The same image and model data as the model it copies, as DescribeModel gave them.
        container.putAll(carried.artefacts());
      } else {
        container.put("ModelPackageName", model.modelPackageArn());
      }
      if (model.inferenceSpecificationName() != null) {
        container.put("InferenceSpecificationName", model.inferenceSpecificationName());
      }
      Map<String, Object> body = new LinkedHashMap<>(carried.model());
      body.put("PrimaryContainer", container);
      InstancePoolsWirePatch.attach(request, body);
    }
    try {
      sageMaker.createModel(request.build());
    } catch (SdkException e) {
      if (!SageMakerErrors.isAlreadyExists(e)) {
        throw SageMakerErrors.translate("CreateModel " + model.modelName(), e,
            ModelNotFoundException::new);
      }
      requireSameModel(model, e);
      LOG.info("model already exists and is this deployment's; CreateModel counts as done",
          entry("modelName", model.modelName()));
    }
  }

  @Override
  public java.util.Optional<ModelSettings> modelSettings(String modelName) {
    try {
      return java.util.Optional.of(ModelSettings.fromDescribeModel(describeRaw(modelName)));
    } catch (SdkException e) {
      if (SageMakerErrors.isNotFound(e)) {
        return java.util.Optional.empty();
      }
      throw SageMakerErrors.translate("DescribeModel " + modelName, e,
          ModelNotFoundException::new);
    }
  }

  /** DescribeModel as SageMaker sent it: the SDK drops members newer than itself. */
  private Map<String, Object> describeRaw(String modelName) {
    DescribeModelRequest.Builder request = DescribeModelRequest.builder().modelName(modelName);
    InstancePoolsWirePatch.Exchange exchange = InstancePoolsWirePatch.attach(request, null);
    sageMaker.describeModel(request.build());
    return exchange.responseJson();
  }

  @Override
  public java.util.Optional<String> packageOfModel(String modelName) {
    DescribeModelResponse r;
    try {
      r = sageMaker.describeModel(b -> b.modelName(modelName));
    } catch (SdkException e) {
      if (SageMakerErrors.isNotFound(e)) {
        return java.util.Optional.empty();
      }
      throw SageMakerErrors.translate("DescribeModel " + modelName, e,
          ModelNotFoundException::new);
    }
    ContainerDefinition c = r.primaryContainer() != null ? r.primaryContainer()
        : r.hasContainers() && !r.containers().isEmpty() ? r.containers().getFirst() : null;
    return java.util.Optional.ofNullable(c == null ? null : c.modelPackageName());
  }

  @Override
  public boolean deleteModel(String modelName) {
    // Read first: IAM refuses the tag-conditioned delete of a model that was never created
    // (see SageMakerEndpoints.deleteConfig).
    if (!modelExists(modelName)) {
      return false;
    }
    return deleteExistingModel(modelName);
  }

  @Override
  public boolean deleteExistingModel(String modelName) {
    try {
      sageMaker.deleteModel(b -> b.modelName(modelName));
      return true;
    } catch (SdkException e) {
      // Gone after all (deleted by an earlier attempt): IAM refuses the tag-conditioned delete
      // of a model that does not exist, so only then is the model read.
      if (SageMakerErrors.isNotFound(e)
          || SageMakerErrors.isAccessDenied(e) && !modelExists(modelName)) {
        return false;
      }
      throw SageMakerErrors.translate("DeleteModel " + modelName, e, ModelNotFoundException::new);
    }
  }

  /** Whether the model exists. */
  private boolean modelExists(String modelName) {
    try {
      sageMaker.describeModel(b -> b.modelName(modelName));
      return true;
    } catch (SdkException e) {
      if (SageMakerErrors.isNotFound(e)) {
        return false;
      }
      throw SageMakerErrors.translate("DescribeModel " + modelName, e, ModelNotFoundException::new);
    }
  }

  /** A retried CreateModel finds its own model; anyone else's is a conflict. */
  private void requireSameModel(ModelToCreate model, SdkException alreadyExists) {
    Map<String, Object> existing;
    try {
      existing = describeRaw(model.modelName());
    } catch (SdkException e) {
      throw SageMakerErrors.translate("DescribeModel " + model.modelName(), e,
          ModelNotFoundException::new);
    }
    Map<?, ?> c = existing.get("PrimaryContainer") instanceof Map<?, ?> m ? m : Map.of();
    ModelSettings found = ModelSettings.fromDescribeModel(existing);
    boolean same = existing.get("PrimaryContainer") != null
        && (model.copiesModel()
            ? c.get("ModelPackageName") == null && model.carried().artefacts().equals(
                found.artefacts())
            : model.modelPackageArn().equalsIgnoreCase(String.valueOf(c.get("ModelPackageName"))))
        && Objects.equals(model.inferenceSpecificationName(), c.get("InferenceSpecificationName"))
        && Objects.equals(model.executionRoleArn(), existing.get("ExecutionRoleArn"))
        && sameSettings(model.carried(), found);
    if (!same) {
      throw new ResourceConflictException("CreateModel " + model.modelName() + ": a model of that"
          + " name exists but was built from package " + c.get("ModelPackageName")
          + " (image " + c.get("Image") + ")"
          + ", specification " + c.get("InferenceSpecificationName") + ", role "
          + existing.get("ExecutionRoleArn") + " (settings " + found.carriedNames()
          + "); expected " + (model.copiesModel() ? "a copy of " + model.carried().modelName()
              + " (image " + model.carried().artefacts().get("Image") + ")"
              : model.modelPackageArn()) + ", " + model.inferenceSpecificationName()
          + ", " + model.executionRoleArn() + " (settings " + model.carried().carriedNames() + ")",
          alreadyExists);
    }
  }

  /** The same settings, whichever model they were read from. */
  private static boolean sameSettings(ModelSettings wanted, ModelSettings found) {
    return wanted.model().equals(found.model()) && wanted.container().equals(found.container());
  }
}
