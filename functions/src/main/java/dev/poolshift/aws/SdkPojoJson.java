package dev.poolshift.aws;

import dev.poolshift.rollout.ServiceCallException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * SDK model objects to plain JSON values (maps, lists, strings, numbers, booleans) keyed by their
 * wire names, and back, through the fields every model class describes ({@link SdkPojo}). A
 * scaling policy's settings round-trip exactly without Poolshift listing them, including fields
 * a later SDK adds. Enums travel as their wire strings; unset members are left out.
 */
final class SdkPojoJson {
  private SdkPojoJson() {}

  /** Every set member of {@code pojo}, by wire name. */
  static Map<String, Object> toMap(SdkPojo pojo) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (SdkField<?> field : pojo.sdkFields()) {
      Object value = toJson(field, field.getValueOrDefault(pojo));
      if (value != null) {
        out.put(field.locationName(), value);
      }
    }
    return out;
  }

  /**
   * Sets each entry of {@code values} on {@code builder} by wire name.
   *
   * @throws ServiceCallException naming the first entry the builder has no member for
   */
  static void set(SdkPojo builder, Map<String, Object> values, String what) {
    Map<String, SdkField<?>> fields = new LinkedHashMap<>();
    builder.sdkFields().forEach(f -> fields.put(f.locationName(), f));
    values.forEach((name, value) -> {
      SdkField<?> field = fields.get(name);
      if (field == null) {
        throw new ServiceCallException(what + ": " + name + " is not a member the SDK can send"
            + " (members: " + fields.keySet() + ")");
      }
      field.set(builder, fromJson(field, value, what + "." + name));
    });
  }

  private static Object toJson(SdkField<?> field, Object value) {
    if (value == null || value instanceof SdkAutoConstructList<?>
        || value instanceof SdkAutoConstructMap<?, ?>) {
      return null;
    }
    MarshallingType<?> type = field.marshallingType();
    if (type == MarshallingType.SDK_POJO) {
      return toMap((SdkPojo) value);
    }
    if (type == MarshallingType.LIST) {
      SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
      List<Object> out = new ArrayList<>();
      ((List<?>) value).forEach(v -> out.add(toJson(member, v)));
      return out;
    }
    if (type == MarshallingType.MAP) {
      SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), toJson(member, v)));
      return out;
    }
    if (type == MarshallingType.STRING || type == MarshallingType.BOOLEAN
        || value instanceof Number) {
      return value;
    }
    if (type == MarshallingType.INSTANT) {
      return value.toString();
    }
    throw new ServiceCallException("SDK member " + field.locationName() + " of type " + type
        + " cannot be kept as JSON");
  }

  private static Object fromJson(SdkField<?> field, Object value, String at) {
    if (value == null) {
      return null;
    }
    MarshallingType<?> type = field.marshallingType();
    if (type == MarshallingType.SDK_POJO) {
      Supplier<SdkPojo> constructor = field.constructor();
      SdkPojo builder = constructor.get();
      set(builder, map(value, at), at);
      return ((SdkBuilder<?, ?>) builder).build();
    }
    if (type == MarshallingType.LIST) {
      SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Object v : (List<?>) value) {
        out.add(fromJson(member, v, at + "[" + i++ + "]"));
      }
      return out;
    }
    if (type == MarshallingType.MAP) {
      SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
      Map<String, Object> out = new LinkedHashMap<>();
      map(value, at).forEach((k, v) -> out.put(k, fromJson(member, v, at + "." + k)));
      return out;
    }
    if (type == MarshallingType.STRING) {
      return String.valueOf(value);
    }
    if (type == MarshallingType.BOOLEAN) {
      return value instanceof Boolean b ? b : Boolean.valueOf(String.valueOf(value));
    }
    if (type == MarshallingType.INSTANT) {
      return java.time.Instant.parse(String.valueOf(value));
    }
    Number n = value instanceof Number num ? num : new BigDecimal(String.valueOf(value));
    if (type == MarshallingType.INTEGER) {
      return n.intValue();
    }
    if (type == MarshallingType.LONG) {
      return n.longValue();
    }
    if (type == MarshallingType.DOUBLE) {
      return n.doubleValue();
    }
    if (type == MarshallingType.FLOAT) {
      return n.floatValue();
    }
    if (type == MarshallingType.BIG_DECIMAL) {
      return new BigDecimal(n.toString());
    }
    throw new ServiceCallException(at + ": SDK member of type " + type + " cannot be set from JSON");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String at) {
    if (!(value instanceof Map<?, ?>)) {
      throw new ServiceCallException(at + ": expected an object, got " + value);
    }
    return (Map<String, Object>) value;
  }
}
