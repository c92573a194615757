package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.rollout.port.EndpointDashboard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoint dashboard's body, as CloudWatch reads it. */
class CloudWatchDashboardsTest {
  private static final EndpointDashboard DASHBOARD = new EndpointDashboard("poolshift-churn", "churn",
      List.of("primary", "canary-7"), List.of("ml.g5.2xlarge", "ml.g6.2xlarge"),
      List.of("poolshift-churn-canary-7-5xx", "churn-gate"));

  @Test
  void eachInstanceTypeGetsLatencyErrorsGpuAndInstanceCount() {
    JsonNode body = LocalJson.parse(new CloudWatchDashboards(null, "eu-west-1",
        "arn:aws:sns:eu-west-1:123456789012:poolshift").body(DASHBOARD));

    List<String> titles = new ArrayList<>();
    body.path("widgets").forEach(w -> titles.add(w.path("properties").path("title").asText()));
    for (String type : DASHBOARD.instanceTypes()) {
      assertThat(titles).anySatisfy(t -> assertThat(t).startsWith(type).contains("p50 / p99"))
          .anySatisfy(t -> assertThat(t).startsWith(type).contains("5xx rate"))
          .anySatisfy(t -> assertThat(t).startsWith(type).contains("GPUUtilization and instances"));
    }
    String text = body.toString();
    assertThat(text).contains("\"InstanceType\",\"ml.g6.2xlarge\"").contains("\"stat\":\"p99\"")
        .contains("InvocationsPerInstance").contains("/aws/sagemaker/Endpoints");
    JsonNode alarms = body.path("widgets").findParent("alarms").path("alarms");
    assertThat(alarms).extracting(JsonNode::asText).containsExactly(
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:poolshift-churn-canary-7-5xx",
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:churn-gate");
    assertThat(dev.poolshift.local.cloudwatch.DashboardValidation.messages(body.toString())).isEmpty();
  }

  @Test
  void withoutAnArnOfTheAccountTheAlarmsAreListedByName() {
    String body = new CloudWatchDashboards(null, "us-east-1", null).body(DASHBOARD);

    assertThat(LocalJson.parse(body).path("widgets").findParent("alarms")).isNull();
    assertThat(body).contains("* churn-gate");
  }

  @Test
  void theGovCloudPartitionIsKeptInTheAlarmArns() {
    String body = new CloudWatchDashboards(null, "us-gov-west-1",
        "arn:aws-us-gov:sns:us-gov-west-1:123456789012:poolshift").body(DASHBOARD);

    assertThat(body).contains("arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:churn-gate");
  }
}
