package dev.poolshift.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.DashboardInvalidInputErrorException;
import software.amazon.awssdk.services.cloudwatch.model.GetDashboardResponse;

/** Dashboards on the local CloudWatch: the SDK (Query protocol), AWS JSON 1.0 and RPC v2 CBOR. */
class DashboardsTest {
  private static final String TARGET = CloudWatchHarness.TARGET;
  private static final String BODY = "{\"widgets\":[{\"type\":\"text\",\"x\":0,\"y\":0,\"width\":6,\"height\":2,"
      + "\"properties\":{\"markdown\":\"# hello\"}},{\"type\":\"metric\",\"properties\":{\"metrics\":"
      + "[[\"AWS/SageMaker\",\"Invocations\",\"EndpointName\",\"e\",\"VariantName\",\"v\"]]}}]}";
  private final CloudWatchHarness h = new CloudWatchHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void putThenGetReturnsTheBodyAndTheGlobalArn() {
    h.client.putDashboard(b -> b.dashboardName("poolshift-churn").dashboardBody(BODY));

    GetDashboardResponse got = h.client.getDashboard(b -> b.dashboardName("poolshift-churn"));
    assertThat(got.dashboardBody()).isEqualTo(BODY);
    assertThat(got.dashboardArn()).isEqualTo("arn:aws:cloudwatch::111122223333:dashboard/poolshift-churn");
    assertThat(h.client.listDashboards(b -> b.dashboardNamePrefix("poolshift-")).dashboardEntries())
        .singleElement().satisfies(e -> {
          assertThat(e.dashboardName()).isEqualTo("poolshift-churn");
          assertThat(e.size()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8).length);
        });
  }

  @Test
  void aBodyWithoutWidgetsIsRefusedWithItsValidationMessages() {
    assertThatThrownBy(() -> h.client.putDashboard(b -> b.dashboardName("d").dashboardBody("{\"start\":\"-PT3H\"}")))
        .isInstanceOfSatisfying(DashboardInvalidInputErrorException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterInput");
          assertThat(e.dashboardValidationMessages()).singleElement()
              .satisfies(m -> assertThat(m.message()).contains("widgets"));
        });
    assertThat(h.cloudWatch.dashboards().get("d")).isEmpty();
  }

  @Test
  void aBodyThatIsNotJsonOrAWidgetWithoutMetricsIsRefused() {
    assertThatThrownBy(() -> h.client.putDashboard(b -> b.dashboardName("d").dashboardBody("widgets: []")))
        .isInstanceOf(DashboardInvalidInputErrorException.class);
    assertThatThrownBy(() -> h.client.putDashboard(b -> b.dashboardName("d")
        .dashboardBody("{\"widgets\":[{\"type\":\"metric\",\"properties\":{}}]}")))
        .isInstanceOfSatisfying(DashboardInvalidInputErrorException.class, e ->
            assertThat(e.dashboardValidationMessages()).singleElement()
                .satisfies(m -> assertThat(m.dataPath()).isEqualTo("/widgets/0/properties")));
  }

  @Test
  void deletingANameThatDoesNotExistDeletesNothing() {
    h.client.putDashboard(b -> b.dashboardName("a").dashboardBody(BODY));

    assertThatThrownBy(() -> h.client.deleteDashboards(b -> b.dashboardNames("a", "missing")))
        .isInstanceOfSatisfying(CloudWatchException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFound"));
    assertThat(h.cloudWatch.dashboards().get("a")).isPresent();
    h.client.deleteDashboards(b -> b.dashboardNames("a"));
    assertThat(h.cloudWatch.dashboards().get("a")).isEmpty();
  }

  @Test
  void jsonAndCborPutAndGetTheSameDashboardAndNameTheValidationError() throws Exception {
    HttpResponse<byte[]> put = h.json("PutDashboard", LocalJson.write(Map.of("DashboardName", "j", "DashboardBody", BODY)));
    assertThat(put.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> got = h.cbor("GetDashboard", LocalJson.object().put("DashboardName", "j"));
    assertThat(got.statusCode()).isEqualTo(200);
    JsonNode doc = LocalJson.CBOR.readTree(got.body());
    assertThat(doc.path("DashboardBody").asText()).isEqualTo(BODY);

    HttpResponse<byte[]> bad = h.json("PutDashboard", LocalJson.write(Map.of("DashboardName", "j", "DashboardBody", "[]")));
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode error = LocalJson.parse(new String(bad.body(), StandardCharsets.UTF_8));
    assertThat(error.path("__type").asText()).endsWith("DashboardInvalidInputError");
    assertThat(error.path("dashboardValidationMessages")).isNotEmpty();
    assertThat(bad.headers().firstValue("x-amzn-query-error")).hasValue("InvalidParameterInput;Sender");
    HttpResponse<byte[]> badCbor = h.cbor("PutDashboard", LocalJson.object().put("DashboardName", "j")
        .put("DashboardBody", "{}"));
    assertThat(badCbor.statusCode()).isEqualTo(400);
    assertThat(LocalJson.CBOR.readTree(badCbor.body()).path("dashboardValidationMessages")).isNotEmpty();
  }
}
