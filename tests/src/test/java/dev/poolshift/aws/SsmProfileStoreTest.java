package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.DeploymentProfile;
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
  void throttlingIsTransient() {
    http.route(s -> Reply.error(400, "ThrottlingException", "Rate exceeded"));

    assertThatThrownBy(() -> store.load("churn")).isInstanceOf(TransientServiceException.class);
  }
}
