package dev.poolshift.local.cloudwatch;

import dev.poolshift.local.http.AwsJson;
import dev.poolshift.local.http.Doc;
import dev.poolshift.local.http.ModeledService;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.http.RequestParams;
import dev.poolshift.local.http.UnknownOperationException;

import dev.poolshift.local.aws.AwsServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudWatch on the three protocols its clients speak, over one set of operations:
 * <ul>
 *   <li>AWS Query (SDK for Java up to 2.40, AWS CLI 2.9): {@code POST /} with a form body
 *       ({@code Action=PutMetricAlarm&Version=2010-08-01&...}, lists as {@code Name.member.N},
 *       timestamps ISO-8601); XML in the {@code http://monitoring.amazonaws.com/doc/2010-08-01/}
 *       namespace and the {@code ErrorResponse} document.</li>
 *   <li>AWS JSON 1.0 (current JavaScript v3 clients, boto3): {@code X-Amz-Target:
 *       GraniteServiceVersion20100801.<Op>}, {@code x-amzn-query-mode: true}.</li>
 *   <li>Smithy RPC v2 CBOR (newest SDK for Java): {@code POST
 *       /service/GraniteServiceVersion20100801/operation/<Op>}.</li>
 * </ul>
 * On JSON and CBOR CloudWatch is Query-compatible: an error names its shape in {@code __type}
 * and carries the Query code in {@code x-amzn-query-error}, so a client sees the same code on
 * every protocol. Signing name {@code monitoring}.
 *
 * <p>Operations: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms,
 * SetAlarmState, GetMetricData, GetMetricStatistics, PutMetricData, ListMetrics, PutDashboard,
 * GetDashboard, ListDashboards, DeleteDashboards (see {@link Dashboards}).
 */
public final class CloudWatchService extends ModeledService {
  static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
  /** The service's Smithy name: the X-Amz-Target prefix and the RPC v2 CBOR path segment. */
  static final String SERVICE_NAME = "GraniteServiceVersion20100801";
  private static final Set<String> STATES = Set.of("OK", "ALARM", "INSUFFICIENT_DATA");
  /** Query error code to the error shape that carries it (the model's awsQueryError traits). */
  private static final Map<String, String> ERROR_SHAPES = Map.ofEntries(
      Map.entry("ValidationError", "ValidationException"),
      Map.entry("InvalidParameterInput", "DashboardInvalidInputError"),
      Map.entry("InvalidParameterValue", "InvalidParameterValueException"),
      Map.entry("InvalidParameterCombination", "InvalidParameterCombinationException"),
      Map.entry("MissingParameter", "MissingRequiredParameterException"),
      Map.entry("InvalidNextToken", "InvalidNextToken"),
      Map.entry("ResourceNotFound", "ResourceNotFound"),
      Map.entry("ResourceNotFoundException", "ResourceNotFoundException"),
      Map.entry("LimitExceeded", "LimitExceededFault"),
      Map.entry("LimitExceededException", "LimitExceededException"),
      Map.entry("InvalidFormat", "InvalidFormatFault"),
      Map.entry("InternalServiceError", "InternalServiceFault"),
      Map.entry("InternalFailure", "InternalServiceFault"));

  private final CloudWatch cloudWatch;

  public CloudWatchService(CloudWatch cloudWatch) {
    super(XMLNS, "2010-08-01", "1.0");
    this.cloudWatch = cloudWatch;
  }

  @Override
  public String signingName() {
    return "monitoring";
  }

  @Override
  public String targetPrefix() {
    return SERVICE_NAME;
  }

  @Override
  protected AwsJson.QueryCompatibleErrors queryCompatibleErrors() {
    // Codes without a modelled shape (Throttling, an injected fault's own code) keep the code as
    // the type: clients fall back to the x-amzn-query-error code for those.
    return code -> "com.amazonaws.cloudwatch#" + ERROR_SHAPES.getOrDefault(code, code);
  }

  @Override
  protected Doc.Struct invoke(String action, RequestParams params) {
    cloudWatch.faults().take(action).ifPresent(e -> {
      throw e;
    });
    return switch (action) {
      case "PutMetricAlarm" -> {
        cloudWatch.putMetricAlarm(alarmDefinition(params));
        yield null;
      }
      case "DescribeAlarms" -> describeAlarms(params);
      case "DescribeAlarmsForMetric" -> describeAlarmsForMetric(params);
      case "DeleteAlarms" -> {
        cloudWatch.deleteAlarms(Validation.required("alarmNames", params.strings("AlarmNames")));
        yield null;
      }
      case "SetAlarmState" -> {
        setAlarmState(params);
        yield null;
      }
      case "GetMetricData" -> getMetricData(params);
      case "GetMetricStatistics" -> getMetricStatistics(params);
      case "PutMetricData" -> {
        putMetricData(params);
        yield null;
      }
      case "ListMetrics" -> listMetrics(params);
      case "PutDashboard" -> {
        Doc.Struct out = Doc.struct();
        Doc.ListValue warnings = out.list("DashboardValidationMessages");
        cloudWatch.dashboards().put(params.string("DashboardName"), params.string("DashboardBody"),
            cloudWatch.simulation().now()).forEach(w -> warnings.addStruct().put("Message", w));
        yield out;
      }
      case "GetDashboard" -> {
        String name = Validation.required("dashboardName", params.string("DashboardName"));
        Dashboards.Dashboard d = cloudWatch.dashboards().get(name).orElseThrow(() -> Dashboards.notFound(name));
        yield Doc.struct().put("DashboardArn", d.arn()).put("DashboardBody", d.body()).put("DashboardName", d.name());
      }
      case "ListDashboards" -> listDashboards(params);
      case "DeleteDashboards" -> {
        cloudWatch.dashboards().delete(Validation.required("dashboardNames", params.strings("DashboardNames")));
        yield null;
      }
      default -> throw new UnknownOperationException(action);
    };
  }

  // ---------------------------------------------------------------- request parsing

  private static AlarmDefinition alarmDefinition(RequestParams p) {
    List<MetricDataQuery> metrics = null;
    if (p.isPresent("Metrics")) {
      metrics = p.members("Metrics").stream().map(CloudWatchService::metricDataQuery).toList();
    }
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    for (RequestParams tag : p.members("Tags")) {
      tags.put(Validation.required(tag.path("Key"), tag.string("Key")), Validation.required(tag.path("Value"),
          tag.string("Value")));
    }
    return new AlarmDefinition(p.string("AlarmName"), p.string("AlarmDescription"), p.bool("ActionsEnabled"),
        p.strings("OKActions"), p.strings("AlarmActions"), p.strings("InsufficientDataActions"),
        p.string("MetricName"), p.string("Namespace"), dimensionsOrNull(p, "Dimensions"), p.string("Statistic"),
        p.string("ExtendedStatistic"), p.integer("Period"), p.string("Unit"), p.integer("EvaluationPeriods"),
        p.integer("DatapointsToAlarm"), p.decimal("Threshold"), p.string("ComparisonOperator"),
        p.string("TreatMissingData"), p.string("EvaluateLowSampleCountPercentile"), metrics,
        p.string("ThresholdMetricId"), tags);
  }

  private static List<MetricKey.Dimension> dimensionsOrNull(RequestParams p, String name) {
    if (!p.isPresent(name)) {
      return null;
    }
    return dimensions(p, name);
  }

  private static List<MetricKey.Dimension> dimensions(RequestParams p, String name) {
    List<MetricKey.Dimension> dims = new ArrayList<>();
    for (RequestParams d : p.members(name)) {
      dims.add(new MetricKey.Dimension(Validation.required(d.path("Name"), d.string("Name")),
          Validation.required(d.path("Value"), d.string("Value"))));
    }
    return dims;
  }

  private static MetricDataQuery metricDataQuery(RequestParams q) {
    MetricStat stat = null;
    if (q.hasStructure("MetricStat")) {
      RequestParams ms = q.sub("MetricStat");
      MetricKey metric = null;
      if (ms.hasStructure("Metric")) {
        RequestParams m = ms.sub("Metric");
        metric = new MetricKey(Validation.required(m.path("Namespace"), m.string("Namespace")),
            Validation.required(m.path("MetricName"), m.string("MetricName")), dimensions(m, "Dimensions"));
      }
      stat = new MetricStat(metric, ms.integer("Period"), ms.string("Stat"), ms.string("Unit"));
    }
    String account = q.string("AccountId");
    if (account != null && !account.isEmpty()) {
      throw Validation.error("The parameter " + q.path("AccountId") + " is not supported by the local CloudWatch: "
          + "cross-account metrics are not simulated.");
    }
    return new MetricDataQuery(q.string("Id"), stat, q.string("Expression"), q.string("Label"), q.bool("ReturnData"),
        q.integer("Period"));
  }

  // ---------------------------------------------------------------- alarms

  private Doc.Struct describeAlarms(RequestParams p) {
    List<String> names = p.strings("AlarmNames");
    String prefix = p.string("AlarmNamePrefix");
    if (names != null && !names.isEmpty() && prefix != null) {
      throw Validation.invalidParameterCombination("AlarmNamePrefix and AlarmNames cannot be specified together.");
    }
    if (names != null && names.size() > 100) {
      throw Validation.constraint("alarmNames", names.size() + " names", "Member must have length less than or equal to 100");
    }
    String state = Validation.oneOf("stateValue", p.string("StateValue"), STATES);
    String actionPrefix = p.string("ActionPrefix");
    List<String> types = p.strings("AlarmTypes");
    if (types != null) {
      types.forEach(t -> Validation.oneOf("alarmTypes", t, Set.of("MetricAlarm", "CompositeAlarm")));
    }
    boolean metricAlarms = types == null || types.isEmpty() || types.contains("MetricAlarm");
    int max = Paging.limit(p.integer("MaxRecords"), 50, 1, 100,
        v -> Validation.constraint("maxRecords", v, "Member must have value between 1 and 100"));
    boolean relations = p.string("ChildrenOfAlarmName") != null || p.string("ParentsOfAlarmName") != null;

    List<AlarmSnapshot> matching = new ArrayList<>();
    if (metricAlarms && !relations) {
      for (AlarmSnapshot a : cloudWatch.alarms()) {
        if ((names == null || names.isEmpty() || names.contains(a.alarmName()))
            && (prefix == null || a.alarmName().startsWith(prefix))
            && (state == null || a.state().name().equals(state))
            && (actionPrefix == null || hasAction(a.definition(), actionPrefix))) {
          matching.add(a);
        }
      }
    }
    Paging.Page<AlarmSnapshot> page = Paging.page(matching, AlarmSnapshot::alarmName, max, p.string("NextToken"),
        () -> invalidNextToken(p.string("NextToken")));
    Doc.Struct out = Doc.struct();
    Doc.ListValue list = out.list("MetricAlarms");
    page.items().forEach(a -> metricAlarm(list.addStruct(), a));
    out.list("CompositeAlarms");
    return out.put("NextToken", page.nextToken());
  }

  private static boolean hasAction(AlarmDefinition d, String prefix) {
    return d.okActions().stream().anyMatch(a -> a.startsWith(prefix))
        || d.alarmActions().stream().anyMatch(a -> a.startsWith(prefix))
        || d.insufficientDataActions().stream().anyMatch(a -> a.startsWith(prefix));
  }

  static AwsServiceException invalidNextToken(String token) {
    return AwsServiceException.client("InvalidNextToken", "The service couldn't process the NextToken " + token);
  }

  private Doc.Struct describeAlarmsForMetric(RequestParams p) {
    String name = Validation.required("metricName", p.string("MetricName"));
    String namespace = Validation.required("namespace", p.string("Namespace"));
    MetricKey metric = new MetricKey(namespace, name, dimensions(p, "Dimensions"));
    List<AlarmSnapshot> alarms = cloudWatch.alarmsForMetric(metric, p.string("Statistic"),
        p.string("ExtendedStatistic"), p.integer("Period"), p.string("Unit"));
    Doc.Struct out = Doc.struct();
    Doc.ListValue list = out.list("MetricAlarms");
    alarms.forEach(a -> metricAlarm(list.addStruct(), a));
    return out;
  }

  private static void metricAlarm(Doc.Struct out, AlarmSnapshot a) {
    AlarmDefinition d = a.definition();
    out.put("AlarmName", d.alarmName()).put("AlarmArn", a.alarmArn()).put("AlarmDescription", d.alarmDescription())
        .put("AlarmConfigurationUpdatedTimestamp", a.configurationUpdated())
        .put("ActionsEnabled", d.actionsEnabled() == null || d.actionsEnabled())
        .put("OKActions", List.copyOf(d.okActions()))
        .put("AlarmActions", List.copyOf(d.alarmActions()))
        .put("InsufficientDataActions", List.copyOf(d.insufficientDataActions()))
        .put("StateValue", a.state().name()).put("StateReason", a.stateReason())
        .put("StateReasonData", a.stateReasonData()).put("StateUpdatedTimestamp", a.stateUpdated())
        .put("MetricName", d.metricName()).put("Namespace", d.namespace()).put("Statistic", d.statistic())
        .put("ExtendedStatistic", d.extendedStatistic());
    if (d.metrics() == null) {
      dimensionList(out, "Dimensions", d.dimensions() == null ? List.of() : d.dimensions());
    }
    out.put("Period", d.period()).put("Unit", d.unit()).put("EvaluationPeriods", d.evaluationPeriods())
        .put("DatapointsToAlarm", d.datapointsToAlarm()).put("Threshold", d.threshold())
        .put("ComparisonOperator", d.comparisonOperator()).put("TreatMissingData", d.treatMissingData())
        .put("EvaluateLowSampleCountPercentile", d.evaluateLowSampleCountPercentile());
    if (d.metrics() != null) {
      Doc.ListValue metrics = out.list("Metrics");
      for (MetricDataQuery q : d.metrics()) {
        Doc.Struct m = metrics.addStruct().put("Id", q.id());
        if (q.metricStat() != null) {
          MetricStat ms = q.metricStat();
          Doc.Struct stat = m.struct("MetricStat");
          Doc.Struct metric = stat.struct("Metric").put("Namespace", ms.metric().namespace())
              .put("MetricName", ms.metric().metricName());
          dimensionList(metric, "Dimensions", ms.metric().dimensions());
          stat.put("Period", ms.period()).put("Stat", ms.stat()).put("Unit", ms.unit());
        }
        m.put("Expression", q.expression()).put("Label", q.label()).put("ReturnData", q.returnsData())
            .put("Period", q.period());
      }
    }
    out.put("StateTransitionedTimestamp", a.stateTransitioned());
  }

  private static void dimensionList(Doc.Struct out, String name, List<MetricKey.Dimension> dims) {
    Doc.ListValue list = out.list(name);
    dims.forEach(d -> list.addStruct().put("Name", d.name()).put("Value", d.value()));
  }

  private void setAlarmState(RequestParams p) {
    String state = Validation.required("stateValue", p.string("StateValue"));
    Validation.oneOf("stateValue", state, STATES);
    cloudWatch.setAlarmState(p.string("AlarmName"), AlarmStateValue.valueOf(state), p.string("StateReason"),
        p.string("StateReasonData"));
  }

  // ---------------------------------------------------------------- metrics

  private Doc.Struct getMetricData(RequestParams p) {
    List<MetricDataQuery> queries = p.members("MetricDataQueries").stream().map(CloudWatchService::metricDataQuery)
        .toList();
    if (queries.isEmpty()) {
      Validation.required("metricDataQueries", null);
    }
    String scanBy = Validation.oneOf("scanBy", p.string("ScanBy"), Set.of("TimestampDescending", "TimestampAscending"));
    CloudWatch.MetricDataPage page = cloudWatch.getMetricData(queries, p.instant("StartTime"), p.instant("EndTime"),
        "TimestampAscending".equals(scanBy), p.integer("MaxDatapoints"), p.string("NextToken"));
    Doc.Struct out = Doc.struct();
    Doc.ListValue results = out.list("MetricDataResults");
    for (MetricDataResult r : page.results()) {
      Doc.Struct m = results.addStruct().put("Id", r.id()).put("Label", r.label())
          .put("Timestamps", List.copyOf(r.timestamps())).put("Values", List.copyOf(r.values()))
          .put("StatusCode", r.statusCode());
      m.list("Messages");
    }
    out.put("NextToken", page.nextToken());
    out.list("Messages");
    return out;
  }

  /**
   * GetMetricStatistics: the statistics of one metric per period, only for periods with data
   * (unordered on AWS; oldest first here), one datapoint per unit the data was published with
   * when no Unit is asked for.
   */
  private Doc.Struct getMetricStatistics(RequestParams p) {
    String namespace = Validation.required("namespace", p.string("Namespace"));
    String metricName = Validation.required("metricName", p.string("MetricName"));
    MetricKey metric = new MetricKey(namespace, metricName, dimensions(p, "Dimensions"));
    List<String> statistics = p.strings("Statistics");
    List<String> extended = p.strings("ExtendedStatistics");
    CloudWatch.StatisticsResult result = cloudWatch.getMetricStatistics(metric, p.instant("StartTime"),
        p.instant("EndTime"), p.integer("Period"), statistics == null ? List.of() : statistics,
        extended == null ? List.of() : extended, p.string("Unit"));
    Doc.Struct out = Doc.struct().put("Label", result.label());
    Doc.ListValue points = out.list("Datapoints");
    for (CloudWatch.StatisticsDatapoint d : result.datapoints()) {
      Doc.Struct point = points.addStruct().put("Timestamp", d.timestamp());
      d.statistics().forEach(point::put);
      point.put("Unit", d.unit());
      if (!d.extendedStatistics().isEmpty()) {
        Doc.MapValue map = new Doc.MapValue();
        d.extendedStatistics().forEach(map::put);
        point.put("ExtendedStatistics", map);
      }
    }
    return out;
  }

  private void putMetricData(RequestParams p) {
    if (!p.members("EntityMetricData").isEmpty()) {
      throw Validation.error("EntityMetricData is not supported by the local CloudWatch; send MetricData.");
    }
    List<MetricDatum> data = new ArrayList<>();
    for (RequestParams d : p.members("MetricData")) {
      MetricDatum.StatisticSet set = null;
      if (d.hasStructure("StatisticValues")) {
        RequestParams s = d.sub("StatisticValues");
        set = new MetricDatum.StatisticSet(s.decimal("SampleCount"), s.decimal("Sum"), s.decimal("Minimum"),
            s.decimal("Maximum"));
      }
      data.add(new MetricDatum(d.string("MetricName"), dimensions(d, "Dimensions"), d.instant("Timestamp"),
          d.decimal("Value"), set, decimals(d, "Values"), decimals(d, "Counts"), d.string("Unit"),
          d.integer("StorageResolution")));
    }
    cloudWatch.putMetricData(p.string("Namespace"), data);
  }

  private static List<Double> decimals(RequestParams p, String name) {
    List<String> values = p.strings(name);
    if (values == null) {
      return List.of();
    }
    List<Double> result = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      try {
        result.add(Double.valueOf(values.get(i).trim()));
      } catch (NumberFormatException e) {
        throw Validation.error("The value " + values.get(i) + " for parameter " + p.path(name) + ".member." + (i + 1)
            + " is not a valid number.");
      }
    }
    return result;
  }

  /** ListDashboards: by name, up to 1,000 a page (API reference). */
  private Doc.Struct listDashboards(RequestParams p) {
    List<Dashboards.Dashboard> all = cloudWatch.dashboards().list(p.string("DashboardNamePrefix"));
    Paging.Page<Dashboards.Dashboard> page = Paging.page(all, Dashboards.Dashboard::name, 1000,
        p.string("NextToken"), () -> invalidNextToken(p.string("NextToken")));
    Doc.Struct out = Doc.struct();
    Doc.ListValue entries = out.list("DashboardEntries");
    page.items().forEach(d -> entries.addStruct().put("DashboardName", d.name()).put("DashboardArn", d.arn())
        .put("LastModified", d.lastModified()).put("Size", d.size()));
    return out.put("NextToken", page.nextToken());
  }

  private Doc.Struct listMetrics(RequestParams p) {
    List<CloudWatch.DimensionFilter> filters = new ArrayList<>();
    for (RequestParams f : p.members("Dimensions")) {
      filters.add(new CloudWatch.DimensionFilter(f.string("Name"), f.string("Value")));
    }
    String recently = p.string("RecentlyActive");
    if (recently != null && !recently.equals("PT3H")) {
      throw Validation.constraint("recentlyActive", recently, "Member must satisfy enum value set: [PT3H]");
    }
    CloudWatch.MetricsPage page = cloudWatch.listMetrics(p.string("Namespace"), p.string("MetricName"), filters,
        recently != null, p.string("NextToken"));
    Doc.Struct out = Doc.struct();
    Doc.ListValue metrics = out.list("Metrics");
    for (MetricKey k : page.metrics()) {
      Doc.Struct m = metrics.addStruct().put("Namespace", k.namespace()).put("MetricName", k.metricName());
      dimensionList(m, "Dimensions", k.dimensions());
    }
    return out.put("NextToken", page.nextToken());
  }
}
