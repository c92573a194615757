package dev.poolshift.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.sim.Simulation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EMF lines as CloudWatch Logs reads them: valid ones become metrics, invalid ones only logs. */
class EmbeddedMetricsTest {
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final CloudWatch cloudWatch = new CloudWatch(sim, e -> {}, AwsContext.DEFAULT);
  private final EmbeddedMetrics emf = new EmbeddedMetrics(cloudWatch);
  private final Instant now = sim.now();

  private static String line(String directive, String members) {
    return "{\"_aws\":{\"Timestamp\":1796636073089,\"CloudWatchMetrics\":[" + directive + "]}" + members + "}";
  }

  @Test
  void aValidLineBecomesADatapointUnderItsDimensions() {
    emf.accept(now, "fn", line("{\"Namespace\":\"Poolshift\",\"Dimensions\":[[\"Outcome\"]],"
        + "\"Metrics\":[{\"Name\":\"RolloutsEnded\",\"Unit\":\"Count\"}]}", ",\"Outcome\":\"PROMOTED\",\"RolloutsEnded\":1"));

    assertThat(emf.rejections()).isEmpty();
    MetricKey key = new MetricKey("Poolshift", "RolloutsEnded", List.of(new MetricKey.Dimension("Outcome", "PROMOTED")));
    assertThat(cloudWatch.metrics().aggregate(key, null, now.minusSeconds(60), now.plusSeconds(60), now))
        .hasValueSatisfying(d -> assertThat(d.sum()).isEqualTo(1.0));
  }

  @Test
  void aLineThatIsNotEmfIsIgnored() {
    emf.accept(now, "fn", "{\"level\":\"INFO\",\"message\":\"hello\"}");
    emf.accept(now, "fn", "START RequestId: 1");

    assertThat(emf.rejections()).isEmpty();
    assertThat(emf.extracted()).isEmpty();
  }

  @Test
  void invalidLinesAreRefusedWithTheReason() {
    emf.accept(now, "fn", line("{\"Namespace\":\"P\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"M\"}]}", ""));
    emf.accept(now, "fn", line("{\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"M\"}]}", ",\"M\":1"));
    emf.accept(now, "fn", line("{\"Namespace\":\"P\",\"Dimensions\":[[\"D\"]],\"Metrics\":[{\"Name\":\"M\"}]}", ",\"M\":1"));
    emf.accept(now, "fn", line("{\"Namespace\":\"P\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"Parsecs\"}]}",
        ",\"M\":1"));
    emf.accept(now, "fn", "{\"_aws\":{\"CloudWatchMetrics\":[]},\"M\":1}");
    StringBuilder dims = new StringBuilder();
    StringBuilder members = new StringBuilder(",\"M\":1");
    for (int i = 0; i < 31; i++) {
      dims.append(i == 0 ? "" : ",").append("\"d").append(i).append('"');
      members.append(",\"d").append(i).append("\":\"x\"");
    }
    emf.accept(now, "fn", line("{\"Namespace\":\"P\",\"Dimensions\":[[" + dims + "]],\"Metrics\":[{\"Name\":\"M\"}]}",
        members.toString()));
    StringBuilder metrics = new StringBuilder();
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      metrics.append(i == 0 ? "" : ",").append("{\"Name\":\"m").append(i).append("\"}");
      values.append(",\"m").append(i).append("\":1");
    }
    emf.accept(now, "fn", line("{\"Namespace\":\"P\",\"Dimensions\":[[]],\"Metrics\":[" + metrics + "]}", values.toString()));

    assertThat(emf.rejections()).extracting(EmbeddedMetrics.Rejection::reason).satisfiesExactly(
        r -> assertThat(r).contains("names M, which has no value"),
        r -> assertThat(r).contains("Namespace is required"),
        r -> assertThat(r).contains("names D, which the root does not hold"),
        r -> assertThat(r).contains("not a CloudWatch unit"),
        r -> assertThat(r).contains("Timestamp is required"),
        r -> assertThat(r).contains("has 31 dimensions; at most 30"),
        r -> assertThat(r).contains("has 101 metrics; at most 100"));
    assertThat(emf.extracted()).isEmpty();
  }
}
