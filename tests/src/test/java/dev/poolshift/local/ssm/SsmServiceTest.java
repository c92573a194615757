package dev.poolshift.local.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.LocalClients;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.sim.Simulation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

class SsmServiceTest {
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final SsmService service = new SsmService(sim, AwsContext.DEFAULT);
  private final Gateway gateway = Gateway.start(0);
  private final SsmClient ssm;

  SsmServiceTest() {
    gateway.register(service);
    ssm = LocalClients.against(SsmClient.builder(), gateway.endpoint());
  }

  @AfterEach
  void close() {
    ssm.close();
    gateway.close();
    sim.close();
  }

  @Test
  void aProfileWrittenWithPutParameterIsReadBackWithItsVersionAndArn() {
    ssm.putParameter(b -> b.name("/poolshift/profiles/fraud-scoring").value("{\"endpointName\":\"x\"}").type(ParameterType.STRING));
    var p = ssm.getParameter(b -> b.name("/poolshift/profiles/fraud-scoring")).parameter();
    assertThat(p.value()).isEqualTo("{\"endpointName\":\"x\"}");
    assertThat(p.version()).isEqualTo(1L);
    assertThat(p.arn()).isEqualTo("arn:aws:ssm:us-east-1:111122223333:parameter/poolshift/profiles/fraud-scoring");
    assertThat(p.lastModifiedDate()).isEqualTo(Simulation.DEFAULT_EPOCH);
  }

  @Test
  void overwritingRequiresTheOverwriteFlagAndBumpsTheVersion() {
    service.put("/p/a", "1");
    assertThatThrownBy(() -> ssm.putParameter(b -> b.name("/p/a").value("2").type(ParameterType.STRING)))
        .isInstanceOf(ParameterAlreadyExistsException.class);
    ssm.putParameter(b -> b.name("/p/a").value("2").type(ParameterType.STRING).overwrite(true));
    assertThat(ssm.getParameter(b -> b.name("/p/a")).parameter().version()).isEqualTo(2L);
  }

  @Test
  void aMissingParameterIsParameterNotFound() {
    assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/poolshift/profiles/nope")))
        .isInstanceOf(ParameterNotFoundException.class)
        .hasMessageContaining("/poolshift/profiles/nope");
  }

  @Test
  void aValueOverTheStandardTierLimitIsRejectedLikeAwsDoes() {
    String big = "x".repeat(4097);
    assertThatThrownBy(() -> ssm.putParameter(b -> b.name("/p/big").value(big).type(ParameterType.STRING)))
        .isInstanceOf(SsmException.class)
        .hasMessageContaining("maximum parameter value of 4096");
  }

  @Test
  void parametersByPathListOnlyOneLevelUnlessRecursive() {
    service.put("/poolshift/profiles/a", "1");
    service.put("/poolshift/profiles/b", "2");
    service.put("/poolshift/profiles/deep/c", "3");
    assertThat(ssm.getParametersByPath(b -> b.path("/poolshift/profiles")).parameters())
        .extracting(p -> p.name()).containsExactly("/poolshift/profiles/a", "/poolshift/profiles/b");
    assertThat(ssm.getParametersByPath(b -> b.path("/poolshift/profiles").recursive(true)).parameters()).hasSize(3);
  }
}
