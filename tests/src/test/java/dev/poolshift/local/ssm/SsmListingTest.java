package dev.poolshift.local.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.LocalClients;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.InvalidFilterKeyException;
import software.amazon.awssdk.services.ssm.model.InvalidNextTokenException;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** SSM's list calls: DescribeParameters and GetParametersByPath with MaxResults and stable tokens. */
class SsmListingTest {
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final SsmService service = new SsmService(sim, AwsContext.DEFAULT);
  private final Gateway gateway = Gateway.start(0);
  private final SsmClient client;

  SsmListingTest() {
    gateway.register(service);
    client = LocalClients.against(SsmClient.builder(), gateway.endpoint());
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
    sim.close();
  }

  private static ParameterStringFilter filter(String key, String option, String... values) {
    return ParameterStringFilter.builder().key(key).option(option).values(values).build();
  }

  @Test
  void describeParametersFiltersByPathNameAndTypeAndShowsNoValues() {
    service.put("/poolshift/profiles/fraud", "{}");
    service.put("/poolshift/profiles/churn", "{}");
    service.put("/poolshift/profiles/deep/nested", "{}");
    service.put("/other/thing", "{}");

    List<ParameterMetadata> oneLevel = client.describeParameters(b -> b.parameterFilters(
        filter("Path", "OneLevel", "/poolshift/profiles"))).parameters();
    List<ParameterMetadata> recursive = client.describeParameters(b -> b.parameterFilters(
        filter("Path", "Recursive", "/poolshift"), filter("Type", "Equals", "String"))).parameters();
    List<ParameterMetadata> named = client.describeParameters(b -> b.parameterFilters(
        filter("Name", "BeginsWith", "/other"))).parameters();

    assertThat(oneLevel).extracting(ParameterMetadata::name)
        .containsExactly("/poolshift/profiles/churn", "/poolshift/profiles/fraud");
    assertThat(recursive).hasSize(3).allSatisfy(p -> {
      assertThat(p.tierAsString()).isEqualTo("Standard");
      assertThat(p.version()).isEqualTo(1L);
    });
    assertThat(named).extracting(ParameterMetadata::name).containsExactly("/other/thing");
  }

  @Test
  void describeParametersRefusesFiltersItDoesNotSimulateRatherThanIgnoringThem() {
    assertThatThrownBy(() -> client.describeParameters(b -> b.parameterFilters(filter("KeyId", "Equals", "k"))))
        .isInstanceOf(InvalidFilterKeyException.class);
    assertThatThrownBy(() -> client.describeParameters(b -> b.parameterFilters(filter("Colour", "Equals", "red"))))
        .isInstanceOf(InvalidFilterKeyException.class);
  }

  @Test
  void getParametersByPathHonoursMaxResultsAndAParameterAddedBetweenPagesRepeatsNothing() {
    for (String n : List.of("b", "d", "f")) {
      service.put("/p/" + n, n);
    }
    GetParametersByPathResponse first = client.getParametersByPath(b -> b.path("/p").maxResults(2));
    service.put("/p/a", "a");
    service.put("/p/e", "e");
    List<String> seen = new ArrayList<>(first.parameters().stream().map(Parameter::name).toList());
    String token = first.nextToken();
    while (token != null) {
      String t = token;
      GetParametersByPathResponse page = client.getParametersByPath(b -> b.path("/p").maxResults(2).nextToken(t));
      page.parameters().forEach(p -> seen.add(p.name()));
      token = page.nextToken();
    }

    assertThat(first.parameters()).hasSize(2);
    assertThat(seen).containsExactly("/p/b", "/p/d", "/p/e", "/p/f");
  }

  @Test
  void maxResultsAboveTheOperationsLimitAndForeignTokensAreRefused() {
    assertThatThrownBy(() -> client.getParametersByPath(b -> b.path("/p").maxResults(11)))
        .isInstanceOf(SsmException.class).hasMessageContaining("less than or equal to 10");
    assertThatThrownBy(() -> client.describeParameters(b -> b.maxResults(51)))
        .isInstanceOf(SsmException.class).hasMessageContaining("less than or equal to 50");
    assertThatThrownBy(() -> client.getParametersByPath(b -> b.path("/p").nextToken("forged")))
        .isInstanceOf(InvalidNextTokenException.class);
  }
}
