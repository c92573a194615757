package dev.poolshift.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.profile.ProfileDefaults;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.profile.ProfileParser;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.SageMakerNames;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.ServiceThrottledException;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.ProfileStore;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * {@link ProfileStore} on SSM Parameter Store: one JSON parameter per model package group under
 * {@code <prefix><group>} (default prefix {@code /poolshift/profiles/}), parsed and validated on
 * every load, so an edited profile applies to the next rollout without a redeploy.
 */
public final class SsmProfileStore implements ProfileStore {
  public static final String DEFAULT_PREFIX = "/poolshift/profiles/";
  private final SsmClient ssm;
  private final String prefix;
  private final ProfileDefaults defaults;

  public SsmProfileStore(SsmClient ssm, String prefix) {
    this(ssm, prefix, ProfileDefaults.STANDARD);
  }

  /** @param defaults the stack's values for fields a profile leaves out */
  public SsmProfileStore(SsmClient ssm, String prefix, ProfileDefaults defaults) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("profile parameter prefix must start and end with /"
          + " (got " + prefix + ")");
    }
    this.ssm = ssm;
    this.prefix = prefix;
    this.defaults = defaults;
  }

  public String parameterName(String modelPackageGroupName) {
    return prefix + modelPackageGroupName;
  }

  @Override
  public DeploymentProfile load(String modelPackageGroupName) {
    SageMakerNames.requireName("modelPackageGroupName", modelPackageGroupName);
    String name = parameterName(modelPackageGroupName);
    String text;
    try {
      // WithDecryption lets a profile be a SecureString; it is ignored for String parameters.
      text = ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
    } catch (ParameterNotFoundException e) {
      throw new ProfileNotFoundException("no deployment profile for model package group "
          + modelPackageGroupName + " (SSM parameter " + name + " does not exist)", e);
    } catch (SdkException e) {
      throw translate("GetParameter " + name, e);
    }
    Object json;
    try {
      json = Json.parse(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("deployment profile " + name, "(root)",
          "not valid JSON: " + e.getOriginalMessage());
    }
    return ProfileParser.parse(json, name, defaults);
  }

  private static RolloutException translate(String call, SdkException e) {
    if (e instanceof SdkClientException) {
      return new TransientServiceException(call + ": " + e.getMessage(), e);
    }
    if (e instanceof AwsServiceException ase && ase.isThrottlingException()) {
      return new ServiceThrottledException(call + ": " + SageMakerErrors.rawMessage(ase), e);
    }
    if (e instanceof AwsServiceException ase && ase.statusCode() >= 500) {
      return new TransientServiceException(call + ": " + SageMakerErrors.rawMessage(ase), e);
    }
    String code = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
        ? ase.awsErrorDetails().errorCode() + ": " : "";
    return new ServiceCallException(call + ": " + code + e.getMessage(), e);
  }
}
