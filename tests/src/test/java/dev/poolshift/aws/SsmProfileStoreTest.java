package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.TransientServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SsmProfileStoreTest {
  private final StubHttp http = new StubHttp();
  private final SsmProfileStore store =
      new SsmProfileStore(AwsClients.ssm(http.settings()), SsmProfileStore.DEFAULT_PREFIX);

  @Test
  void loadsTheGroupsProfileFromItsParameter() throws Exception {
    String profile = Files.readString(Path.of("events/profiles/fraud-scoring.json"));
    http.then(Reply.ok(Json.write(Map.of("Parameter", Map.of(
        "Name", "/poolshift/profiles/fraud-scoring", "Type", "String", "Value", profile, "Version", 3)))));

    DeploymentProfile loaded = store.load("fraud-scoring");

    assertThat(loaded.endpointName()).isEqualTo("fraud-scoring-prod");
    StubHttp.Sent sent = http.only("GetParameter");
    assertThat(sent.header("X-Amz-Target")).isEqualTo("AmazonSSM.GetParameter");
    assertThat(sent.json()).isEqualTo(Map.of("Name", "/poolshift/profiles/fraud-scoring",
        "WithDecryption", true));
  }

  @Test
  void aGroupWithoutAProfileIsProfileNotFound() {
    http.then(Reply.error(400, "ParameterNotFound", ""));

    assertThatThrownBy(() -> store.load("churn"))
        .isInstanceOf(ProfileNotFoundException.class)
        .hasMessageContaining("/poolshift/profiles/churn");
  }

  @Test
  void anInvalidStoredProfileNamesTheParameterAndTheField() {
    http.then(Reply.ok(Json.write(Map.of("Parameter", Map.of("Name", "/poolshift/profiles/churn",
        "Type", "String", "Value", "{\"endpointName\": \"churn-prod\", \"instancePools\": []}")))));

    assertThatThrownBy(() -> store.load("churn"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("/poolshift/profiles/churn")
        .hasMessageContaining("executionRoleArn: required")
        .hasMessageContaining("instancePools: at least 1 entry (got 0)");
  }

  @Test
  void aProfileThatIsNotJsonSaysSo() {
    http.then(Reply.ok(Json.write(Map.of("Parameter", Map.of("Name", "/poolshift/profiles/churn",
        "Type", "String", "Value", "endpointName: churn-prod")))));

    assertThatThrownBy(() -> store.load("churn"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void aGroupNameThatCannotBeAGroupIsRejectedBeforeAnyCall() {
    assertThatThrownBy(() -> store.load("../x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("modelPackageGroupName");
    assertThat(http.sent()).isEmpty();
  }

  @Test
  void throttlingIsTransientAndSaysItWasThrottled() {
    http.route(s -> Reply.error(400, "ThrottlingException", "Rate exceeded"));

    assertThatThrownBy(() -> store.load("churn")).isInstanceOf(TransientServiceException.class)
        .isInstanceOf(dev.poolshift.rollout.ServiceThrottledException.class);
  }

  @Test
  void theStacksDefaultsFillWhatAProfileLeavesOutAndAProfileValueWins() {
    SsmProfileStore withDefaults = new SsmProfileStore(AwsClients.ssm(http.settings()),
        SsmProfileStore.DEFAULT_PREFIX, new dev.poolshift.rollout.profile.ProfileDefaults(900, 0.005));
    String minimal = "{\"endpointName\": \"churn-prod\", \"executionRoleArn\":"
        + " \"arn:aws:iam::111122223333:role/sm\", \"instancePools\": [{\"instanceType\":"
        + " \"ml.g5.2xlarge\", \"priority\": 1}]}";
    String own = minimal.replace("}]}", "}], \"bakeSeconds\": 120,"
        + " \"thresholds\": {\"max5xxRate\": 0.01}}");
    http.then(Reply.ok(Json.write(Map.of("Parameter", Map.of("Name", "/poolshift/profiles/churn",
        "Type", "String", "Value", minimal)))), Reply.ok(Json.write(Map.of("Parameter", Map.of(
        "Name", "/poolshift/profiles/churn", "Type", "String", "Value", own)))));

    DeploymentProfile defaulted = withDefaults.load("churn");
    DeploymentProfile explicit = withDefaults.load("churn");

    assertThat(defaulted.bakeSeconds()).isEqualTo(900);
    assertThat(defaulted.thresholds().max5xxRate()).isEqualTo(0.005);
    assertThat(explicit.bakeSeconds()).isEqualTo(120);
    assertThat(explicit.thresholds().max5xxRate()).isEqualTo(0.01);
  }
}
