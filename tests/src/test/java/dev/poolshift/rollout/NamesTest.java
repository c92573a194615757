package dev.poolshift.rollout;

import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.endpoint.ResourceNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  @Test
  void aVersionedModelPackageArnParsesIntoItsParts() {
    ModelPackageArn arn = ModelPackageArn.parse(
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42");

    assertThat(arn).isEqualTo(new ModelPackageArn("aws", "us-east-1", "111122223333", "fraud-scoring", 42));
    assertThat(arn.isIn("111122223333", "us-east-1")).isTrue();
    assertThat(arn.isIn("444455556666", "us-east-1")).isFalse();
    assertThat(arn.toString()).isEqualTo("arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring",
      "arn:aws:sagemaker:us-east-1:111122223333:model-package-group/fraud-scoring",
      "arn:aws:sagemaker:us-east-1:1111:model-package/fraud-scoring/42",
      "arn:aws:s3:us-east-1:111122223333:model-package/fraud-scoring/42",
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/../x/42",
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/0",
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42 ",
      "{\"ModelPackageArn\": 1}"})
  void anythingElseIsAFieldNamedError(String value) {
    assertThatThrownBy(() -> ModelPackageArn.parse(value))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("modelPackageArn: must be a versioned model package ARN");
  }

  @Test
  void endpointNamesFollowSageMakersPattern() {
    FieldErrors errors = new FieldErrors();
    SageMakerNames.checkName(errors, "endpointName", "a".repeat(64));
    SageMakerNames.checkName(errors, "endpointName", "-a");
    SageMakerNames.checkName(errors, "endpointName", "a--b");

    assertThat(errors.list()).extracting(FieldError::toString).containsExactly(
        "endpointName: must be 1–63 characters (got 64)",
        "endpointName: must be letters, digits and hyphens, starting and ending with a letter or digit (got \"-a\")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ml.g5.2xlarge", "ml.m5.large", "ml.inf2.xlarge", "ml.p6-b300.48xlarge",
      "ml.g7e.2xlarge", "ml.trn1n.32xlarge"})
  void instanceTypesOfAnyFamilyHaveTheShape(String type) {
    assertThat(SageMakerNames.isInstanceType(type)).isTrue();
  }

  @Test
  void derivedResourceNamesAreValidAndDistinctEvenWhenTruncated() {
    Random random = new Random(42);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String endpoint = "e" + "x".repeat(random.nextInt(62));
      ModelPackageArn arn = new ModelPackageArn("aws", "us-east-1", "111122223333",
          "g" + "-y".repeat(random.nextInt(31)), 1 + random.nextInt(999_999_999));
      String deployment = "dep-" + i;

      for (String name : new String[] {
          ResourceNames.endpointConfig(endpoint, arn, deployment, ResourceNames.CANARY_CONFIG),
          ResourceNames.endpointConfig(endpoint, arn, deployment, ResourceNames.FINAL_CONFIG),
          ResourceNames.model(arn, deployment, null),
          ResourceNames.model(arn, deployment, "a-very-long-inference-specification-name-for-g6")}) {
        assertThat(name).hasSizeLessThanOrEqualTo(63).matches(SageMakerNames.NAME);
        assertThat(seen.add(name)).as("duplicate %s", name).isTrue();
      }
    }
  }
}
