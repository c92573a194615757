package dev.poolshift.local.cloudwatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.json.LocalJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs' extraction of embedded metric format (EMF) lines: a log line that is a JSON
 * object with an {@code _aws} member is read as the EMF specification defines it, and every
 * metric it declares goes into the metric store, as if published with PutMetricData, so a
 * rehearsal's own metrics are queryable like SageMaker's.
 *
 * <p>What the specification requires, checked here: {@code _aws.Timestamp} a number
 * (milliseconds since the epoch); {@code _aws.CloudWatchMetrics} an array of directives, each
 * with a {@code Namespace} (1–255 characters, not {@code AWS/}), {@code Dimensions} an array of
 * dimension sets (arrays of at most 30 member names, each naming a string member of the root),
 * and {@code Metrics} at most 100 definitions, each a {@code Name} that names a root member
 * holding a number or an array of at most 100 numbers, with an optional {@code Unit} (a
 * CloudWatch unit) and {@code StorageResolution} (1 or 60). CloudWatch Logs keeps an invalid
 * line as a log event and extracts nothing from it; here each one is also kept in
 * {@link #rejections()} with the reason, so a test can require that every line a function wrote
 * was valid (the harsher reading: AWS only reports such lines through its own error metrics).
 *
 * <p>Datapoints take the line's (virtual) time, not {@code _aws.Timestamp}: in a rehearsal a
 * function reads the wall clock, which is not the simulation's.
 */
public final class EmbeddedMetrics {
  /** A line that looked like EMF but was not extracted, and why. */
  public record Rejection(Instant time, String functionName, String line, String reason) {}

  /** One extracted datapoint, as a test or report reads it back. */
  public record Extracted(Instant time, String functionName, String namespace, String metricName,
      List<MetricKey.Dimension> dimensions, List<Double> values, String unit) {}

  private static final Pattern EMF_START = Pattern.compile("^\\s*\\{.*\"_aws\"\\s*:.*", Pattern.DOTALL);
  static final int MAX_DIMENSIONS = 30;
  static final int MAX_METRICS = 100;
  static final int MAX_VALUES = 100;

  private final CloudWatch cloudWatch;
  private final List<Rejection> rejections = new CopyOnWriteArrayList<>();
  private final List<Extracted> extracted = new CopyOnWriteArrayList<>();

  public EmbeddedMetrics(CloudWatch cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  /** Reads one log line; anything that is not an EMF candidate is ignored. */
  public void accept(Instant time, String functionName, String line) {
    if (line == null || !EMF_START.matcher(line).matches()) {
      return;
    }
    try {
      for (Directive d : parse(line)) {
        cloudWatch.putMetricData(d.namespace(), d.data(time));
        for (MetricDatum m : d.data) {
          extracted.add(new Extracted(time, functionName, d.namespace(), m.metricName(), m.dimensions(),
              m.value() != null ? List.of(m.value()) : m.values(), m.unit()));
        }
      }
    } catch (InvalidEmfException e) {
      rejections.add(new Rejection(time, functionName, line, e.getMessage()));
    } catch (AwsServiceException e) {
      rejections.add(new Rejection(time, functionName, line, e.getMessage()));
    }
  }

  public List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  public List<Extracted> extracted() {
    return List.copyOf(extracted);
  }

  /** The specification's checks, with the first failure as the message. */
  static final class InvalidEmfException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidEmfException(String message) {
      super(message);
    }
  }

  private record Directive(String namespace, List<MetricDatum> data) {
    List<MetricDatum> data(Instant time) {
      return data.stream().map(m -> new MetricDatum(m.metricName(), m.dimensions(), time, m.value(), null,
          m.values(), List.of(), m.unit(), m.storageResolution())).toList();
    }
  }

  /** Validates a line against the EMF specification and returns its metric directives. */
  static List<Directive> parse(String line) throws InvalidEmfException {
    JsonNode root;
    try {
      root = LocalJson.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidEmfException("not a JSON object: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEmfException("the root must be a JSON object");
    }
    JsonNode aws = root.get("_aws");
    if (aws == null || !aws.isObject()) {
      throw new InvalidEmfException("_aws must be an object");
    }
    JsonNode timestamp = aws.get("Timestamp");
    if (timestamp == null || !timestamp.isNumber()) {
      throw new InvalidEmfException("_aws.Timestamp is required and must be a number (epoch milliseconds)");
    }
    JsonNode directives = aws.get("CloudWatchMetrics");
    if (directives == null || !directives.isArray()) {
      throw new InvalidEmfException("_aws.CloudWatchMetrics is required and must be an array");
    }
    List<Directive> out = new ArrayList<>();
    for (int i = 0; i < directives.size(); i++) {
      out.add(directive(root, directives.get(i), "_aws.CloudWatchMetrics[" + i + "]"));
    }
    return out;
  }

  private static Directive directive(JsonNode root, JsonNode d, String at) throws InvalidEmfException {
    if (!d.isObject()) {
      throw new InvalidEmfException(at + " must be an object");
    }
    JsonNode ns = d.get("Namespace");
    if (ns == null || !ns.isTextual() || ns.asText().isEmpty() || ns.asText().length() > 255) {
      throw new InvalidEmfException(at + ".Namespace is required: a string of 1 to 255 characters");
    }
    if (ns.asText().startsWith("AWS/")) {
      throw new InvalidEmfException(at + ".Namespace " + ns.asText() + " is reserved for AWS services");
    }
    JsonNode sets = d.get("Dimensions");
    if (sets == null || !sets.isArray()) {
      throw new InvalidEmfException(at + ".Dimensions is required and must be an array of dimension sets");
    }
    List<List<MetricKey.Dimension>> dimensionSets = new ArrayList<>();
    for (int s = 0; s < sets.size(); s++) {
      JsonNode set = sets.get(s);
      String setAt = at + ".Dimensions[" + s + "]";
      if (!set.isArray()) {
        throw new InvalidEmfException(setAt + " must be an array of member names");
      }
      if (set.size() > MAX_DIMENSIONS) {
        throw new InvalidEmfException(setAt + " has " + set.size() + " dimensions; at most " + MAX_DIMENSIONS);
      }
      List<MetricKey.Dimension> dims = new ArrayList<>();
      for (JsonNode name : set) {
        if (!name.isTextual()) {
          throw new InvalidEmfException(setAt + " must hold member names (strings)");
        }
        JsonNode value = root.get(name.asText());
        if (value == null || !value.isTextual()) {
          throw new InvalidEmfException(setAt + " names " + name.asText()
              + ", which the root does not hold as a string");
        }
        dims.add(new MetricKey.Dimension(name.asText(), value.asText()));
      }
      dimensionSets.add(dims);
    }
    if (dimensionSets.isEmpty()) {
      // An empty Dimensions array: the metrics are published without dimensions.
      dimensionSets.add(List.of());
    }
    JsonNode metrics = d.get("Metrics");
    if (metrics == null || !metrics.isArray()) {
      throw new InvalidEmfException(at + ".Metrics is required and must be an array");
    }
    if (metrics.size() > MAX_METRICS) {
      throw new InvalidEmfException(at + ".Metrics has " + metrics.size() + " metrics; at most " + MAX_METRICS);
    }
    List<MetricDatum> data = new ArrayList<>();
    for (int m = 0; m < metrics.size(); m++) {
      JsonNode def = metrics.get(m);
      String defAt = at + ".Metrics[" + m + "]";
      JsonNode name = def.get("Name");
      if (name == null || !name.isTextual() || name.asText().isEmpty() || name.asText().length() > 255) {
        throw new InvalidEmfException(defAt + ".Name is required: a string of 1 to 255 characters");
      }
      String unit = null;
      JsonNode u = def.get("Unit");
      if (u != null && !u.isNull()) {
        if (!u.isTextual() || !QueryPlan.UNITS.contains(u.asText())) {
          throw new InvalidEmfException(defAt + ".Unit " + u + " is not a CloudWatch unit");
        }
        unit = u.asText();
      }
      Integer resolution = null;
      JsonNode r = def.get("StorageResolution");
      if (r != null && !r.isNull()) {
        if (!r.isInt() || (r.asInt() != 1 && r.asInt() != 60)) {
          throw new InvalidEmfException(defAt + ".StorageResolution must be 1 or 60");
        }
        resolution = r.asInt();
      }
      JsonNode value = root.get(name.asText());
      Double single = null;
      List<Double> values = new ArrayList<>();
      if (value == null) {
        throw new InvalidEmfException(defAt + " names " + name.asText() + ", which has no value in the root");
      } else if (value.isNumber()) {
        single = value.asDouble();
      } else if (value.isArray()) {
        if (value.isEmpty() || value.size() > MAX_VALUES) {
          throw new InvalidEmfException(name.asText() + " must hold 1 to " + MAX_VALUES + " values");
        }
        for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
          JsonNode v = it.next();
          if (!v.isNumber()) {
            throw new InvalidEmfException(name.asText() + " holds a value that is not a number: " + v);
          }
          values.add(v.asDouble());
        }
      } else {
        throw new InvalidEmfException(name.asText() + " must be a number or an array of numbers, not " + value);
      }
      for (List<MetricKey.Dimension> dims : dimensionSets) {
        data.add(new MetricDatum(name.asText(), dims, null, single, null, values, List.of(), unit, resolution));
      }
    }
    return new Directive(ns.asText(), data);
  }
}
