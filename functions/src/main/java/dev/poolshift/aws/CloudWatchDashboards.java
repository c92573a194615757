package dev.poolshift.aws;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.port.EndpointDashboard;
import dev.poolshift.rollout.port.Dashboards;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.PutDashboardResponse;

/**
 * {@link Dashboards} on CloudWatch: PutDashboard with a dashboard body (JSON) of
 * <ul>
 *   <li>per {@code InstanceType}: p50 and p99 {@code ModelLatency}, the 5xx rate
 *       ({@code Invocation5XXErrors / Invocations}), {@code Invocations}, {@code GPUUtilization}
 *       and the instance count, read as {@code Invocations / InvocationsPerInstance} (SageMaker
 *       publishes no instance-count metric; {@code InvocationsPerInstance} counts 1/n per
 *       request, so the ratio is the fleet size while it serves traffic);</li>
 *   <li>the canary weights as the traffic each variant takes (its {@code Invocations} over the
 *       endpoint's), the weights' effect rather than the setting;</li>
 *   <li>the rollout's alarms.</li>
 * </ul>
 * Alarm widgets need alarm ARNs: the partition and account are read from an ARN the function
 * already has (its notification topic's), so no call is made to learn them.
 */
public final class CloudWatchDashboards implements Dashboards {
  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchDashboards.class);
  private static final String SAGEMAKER = "AWS/SageMaker";
  private static final String INSTANCES = "/aws/sagemaker/Endpoints";
  private static final int PERIOD = 60;

  private final CloudWatchClient cloudWatch;
  private final String region;
  private final String alarmArnPrefix;

  /**
   * @param anyArn an ARN of this account (the notification topic's), or null: the alarms are
   *     then listed by name in a text widget
   */
  public CloudWatchDashboards(CloudWatchClient cloudWatch, String region, String anyArn) {
    this.cloudWatch = cloudWatch;
    this.region = region;
    String[] parts = anyArn == null ? new String[0] : anyArn.split(":", 6);
    this.alarmArnPrefix = parts.length >= 5 && parts[0].equals("arn") && parts[4].matches("\\d{12}")
        ? "arn:" + parts[1] + ":cloudwatch:" + region + ":" + parts[4] + ":alarm:" : null;
  }

  @Override
  public void put(EndpointDashboard d) {
    PutDashboardResponse r;
    try {
      r = cloudWatch.putDashboard(b -> b.dashboardName(d.name()).dashboardBody(body(d)));
    } catch (SdkException e) {
      throw AwsErrors.translate("PutDashboard " + d.name(), e);
    }
    if (r.hasDashboardValidationMessages() && !r.dashboardValidationMessages().isEmpty()) {
      // Warnings only: CloudWatch saved the dashboard (errors come back as an exception).
      LOG.warn("dashboard saved with validation messages", entry("dashboardName", d.name()),
          entry("messages", r.dashboardValidationMessages().stream()
              .map(m -> m.dataPath() + ": " + m.message()).toList()));
    }
  }

  /** The dashboard body as CloudWatch reads it (the dashboard body structure). */
  public String body(EndpointDashboard d) {
    List<Map<String, Object>> widgets = new ArrayList<>();
    int y = 0;
    widgets.add(text(0, y, 24, 2, "# " + d.endpointName() + "\nRollouts by Poolshift. Variants: "
        + String.join(", ", d.variantNames()) + ". Instance types: "
        + String.join(", ", d.instanceTypes()) + "."));
    y += 2;
    widgets.add(metric(0, y, 12, 6, "Canary weights (share of invocations per variant)",
        weightQueries(d), "Average", null));
    widgets.add(alarms(12, y, 12, 6, d));
    y += 6;
    for (String type : d.instanceTypes()) {
      widgets.add(metric(0, y, 8, 6, type + " - ModelLatency p50 / p99 (microseconds)",
          perVariant(d, type, SAGEMAKER, "ModelLatency", List.of("p50", "p99")), null, null));
      widgets.add(metric(8, y, 8, 6, type + " - 5xx rate and invocations",
          errorRateQueries(d, type), null, null));
      widgets.add(metric(16, y, 8, 6, type + " - GPUUtilization and instances",
          instanceQueries(d, type), null, null));
      y += 6;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("start", "-PT3H");
    body.put("periodOverride", "inherit");
    body.put("widgets", widgets);
    return Json.write(body);
  }

  private List<List<Object>> weightQueries(EndpointDashboard d) {
    List<List<Object>> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < d.variantNames().size(); i++) {
      String id = "inv" + i;
      ids.add(id);
      rows.add(row(SAGEMAKER, "Invocations", Map.of("EndpointName", d.endpointName(),
          "VariantName", d.variantNames().get(i)), "Sum", id, false, null));
    }
    for (int i = 0; i < ids.size(); i++) {
      rows.add(expression("100 * " + ids.get(i) + " / (" + String.join(" + ", ids) + ")",
          d.variantNames().get(i) + " %", "w" + i));
    }
    return rows;
  }

  private List<List<Object>> perVariant(EndpointDashboard d, String type, String namespace,
      String metric, List<String> stats) {
    List<List<Object>> rows = new ArrayList<>();
    for (String variant : d.variantNames()) {
      for (String stat : stats) {
        rows.add(row(namespace, metric, dims(d, variant, type), stat, null, true,
            variant + " " + stat));
      }
    }
    return rows;
  }

  private List<List<Object>> errorRateQueries(EndpointDashboard d, String type) {
    List<List<Object>> rows = new ArrayList<>();
    int i = 0;
    for (String variant : d.variantNames()) {
      rows.add(row(SAGEMAKER, "Invocation5XXErrors", dims(d, variant, type), "Sum", "e" + i,
          false, null));
      rows.add(row(SAGEMAKER, "Invocations", dims(d, variant, type), "Sum", "n" + i, true,
          variant + " invocations"));
      rows.add(expression("100 * e" + i + " / n" + i, variant + " 5xx %", "r" + i));
      i++;
    }
    return rows;
  }

  private List<List<Object>> instanceQueries(EndpointDashboard d, String type) {
    List<List<Object>> rows = new ArrayList<>();
    int i = 0;
    for (String variant : d.variantNames()) {
      rows.add(row(INSTANCES, "GPUUtilization", dims(d, variant, type), "Average", null, true,
          variant + " GPU %"));
      rows.add(row(SAGEMAKER, "Invocations", dims(d, variant, type), "Sum", "i" + i, false,
          null));
      rows.add(row(SAGEMAKER, "InvocationsPerInstance", dims(d, variant, type), "Sum",
          "p" + i, false, null));
      rows.add(expression("i" + i + " / p" + i, variant + " instances", "c" + i));
      i++;
    }
    return rows;
  }

  private static Map<String, String> dims(EndpointDashboard d, String variant, String type) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("EndpointName", d.endpointName());
    m.put("VariantName", variant);
    m.put("InstanceType", type);
    return m;
  }

  /** One metric row: namespace, name, dimension name/value pairs, then the rendering options. */
  private static List<Object> row(String namespace, String metric, Map<String, String> dims,
      String stat, String id, boolean visible, String label) {
    List<Object> row = new ArrayList<>();
    row.add(namespace);
    row.add(metric);
    dims.forEach((k, v) -> {
      row.add(k);
      row.add(v);
    });
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("stat", stat);
    if (id != null) {
      options.put("id", id);
    }
    if (!visible) {
      options.put("visible", false);
    }
    if (label != null) {
      options.put("label", label);
    }
    row.add(options);
    return row;
  }

  private static List<Object> expression(String expression, String label, String id) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("expression", expression);
    e.put("label", label);
    e.put("id", id);
    return List.of(e);
  }

  private Map<String, Object> metric(int x, int y, int w, int h, String title,
      List<List<Object>> metrics, String stat, Map<String, Object> yAxis) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("title", title);
    p.put("region", region);
    p.put("view", "timeSeries");
    p.put("period", PERIOD);
    if (stat != null) {
      p.put("stat", stat);
    }
    p.put("metrics", metrics);
    if (yAxis != null) {
      p.put("yAxis", yAxis);
    }
    return widget("metric", x, y, w, h, p);
  }

  private Map<String, Object> alarms(int x, int y, int w, int h, EndpointDashboard d) {
    if (alarmArnPrefix == null || d.alarmNames().isEmpty()) {
      return text(x, y, w, h, "## Alarms\n" + (d.alarmNames().isEmpty() ? "(none)"
          : String.join("\n", d.alarmNames().stream().map(n -> "* " + n).toList())));
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("title", "Rollout alarms");
    p.put("alarms", d.alarmNames().stream()
        .map(n -> alarmArnPrefix + n).toList());
    return widget("alarm", x, y, w, h, p);
  }

  private static Map<String, Object> text(int x, int y, int w, int h, String markdown) {
    return widget("text", x, y, w, h, Map.of("markdown", markdown));
  }

  private static Map<String, Object> widget(String type, int x, int y, int w, int h,
      Map<String, Object> properties) {
    Map<String, Object> widget = new LinkedHashMap<>();
    widget.put("type", type);
    widget.put("x", x);
    widget.put("y", y);
    widget.put("width", w);
    widget.put("height", h);
    widget.put("properties", properties);
    return widget;
  }
}
