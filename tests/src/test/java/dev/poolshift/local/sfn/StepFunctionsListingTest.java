package dev.poolshift.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.LocalClients;
import dev.poolshift.local.http.Gateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;

/** Step Functions lists with stable tokens, DescribeStateMachineForExecution and ListTagsForResource. */
class StepFunctionsListingTest {
  private static final String WAIT = """
      {"QueryLanguage": "JSONata", "StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 3600, "End": true}}}""";

  private final SfnHarness h = new SfnHarness();
  private final Gateway gateway = Gateway.start(0);
  private final SfnClient client;

  StepFunctionsListingTest() {
    gateway.register(new StepFunctionsService(h.sfn));
    client = LocalClients.against(SfnClient.builder(), gateway.endpoint());
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
    h.close();
  }

  @Test
  void anExecutionStartedBetweenPagesIsNotListedTwiceNorPushesOneOut() {
    String machine = h.register("Waiter", WAIT);
    for (String name : List.of("one", "two", "three")) {
      client.startExecution(b -> b.stateMachineArn(machine).name(name));
      h.advance(Duration.ofSeconds(1));
    }
    ListExecutionsResponse first = client.listExecutions(b -> b.stateMachineArn(machine).maxResults(2));
    client.startExecution(b -> b.stateMachineArn(machine).name("four"));
    List<String> seen = new ArrayList<>(first.executions().stream().map(ExecutionListItem::name).toList());
    String token = first.nextToken();
    while (token != null) {
      String t = token;
      var page = client.listExecutions(b -> b.stateMachineArn(machine).maxResults(2).nextToken(t));
      page.executions().forEach(e -> seen.add(e.name()));
      token = page.nextToken();
    }

    assertThat(seen).containsExactly("three", "two", "one");
  }

  @Test
  void describeStateMachineForExecutionNamesTheMachineAndItsDefinition() {
    String machine = h.register("Waiter", WAIT);
    String execution = client.startExecution(b -> b.stateMachineArn(machine).name("x")).executionArn();

    var d = client.describeStateMachineForExecution(b -> b.executionArn(execution));

    assertThat(d.stateMachineArn()).isEqualTo(machine);
    assertThat(d.name()).isEqualTo("Waiter");
    assertThat(d.definition()).contains("\"Wait\"");
    assertThat(d.updateDate()).isNotNull();
    assertThatThrownBy(() -> client.describeStateMachineForExecution(b -> b.executionArn(execution + "-gone")))
        .isInstanceOf(ExecutionDoesNotExistException.class);
  }

  @Test
  void listTagsForResourceListsNoneForAMachineAndRefusesAnUnknownArn() {
    String machine = h.register("Waiter", WAIT);

    assertThat(client.listTagsForResource(b -> b.resourceArn(machine)).tags()).isEmpty();
    assertThatThrownBy(() -> client.listTagsForResource(b -> b.resourceArn(machine + "-gone")))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
