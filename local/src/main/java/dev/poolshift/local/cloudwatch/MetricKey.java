package dev.poolshift.local.cloudwatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One CloudWatch time series: namespace, metric name and the exact set of dimensions. CloudWatch
 * treats every dimension combination as a separate metric, so {@code {EndpointName, VariantName}}
 * and {@code {EndpointName, VariantName, InstanceType}} never mix. Dimensions are kept sorted by
 * name, which makes two keys with the same dimensions in another order equal.
 */
public record MetricKey(String namespace, String metricName, List<Dimension> dimensions)
    implements Comparable<MetricKey> {

  /** A dimension name/value pair. */
  public record Dimension(String name, String value) {
    public Dimension {
      Objects.requireNonNull(name, "dimension name");
      Objects.requireNonNull(value, "dimension value");
    }
  }

  public MetricKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(metricName, "metricName");
    List<Dimension> sorted = new ArrayList<>(dimensions);
    sorted.sort(Comparator.comparing(Dimension::name));
    dimensions = List.copyOf(sorted);
  }

  /** A key from {@code name, value, name, value, ...}. */
  public static MetricKey of(String namespace, String metricName, String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("dimensions must come as name/value pairs");
    }
    List<Dimension> dims = new ArrayList<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      dims.add(new Dimension(nameValuePairs[i], nameValuePairs[i + 1]));
    }
    return new MetricKey(namespace, metricName, dims);
  }

  /** Dimensions as an ordered name → value map (the shape alarm events use). */
  public Map<String, String> dimensionMap() {
    Map<String, String> map = new LinkedHashMap<>();
    dimensions.forEach(d -> map.put(d.name(), d.value()));
    return map;
  }

  @Override
  public int compareTo(MetricKey o) {
    int c = namespace.compareTo(o.namespace);
    if (c != 0) {
      return c;
    }
    c = metricName.compareTo(o.metricName);
    if (c != 0) {
      return c;
    }
    for (int i = 0; i < Math.min(dimensions.size(), o.dimensions.size()); i++) {
      c = dimensions.get(i).name().compareTo(o.dimensions.get(i).name());
      if (c == 0) {
        c = dimensions.get(i).value().compareTo(o.dimensions.get(i).value());
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(dimensions.size(), o.dimensions.size());
  }
}
