package dev.poolshift.aws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.RolloutPhase;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * The functions' one configured {@link ObjectMapper}. Jackson's mapper is thread-safe and costly
 * to build, so it is built once per container.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder().addModule(stepTypes()).build();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private Json() {}

  /**
   * Reads a function's input into {@code type}. Members the type does not know are ignored: the
   * workflow's payloads may carry more than a step reads, and an execution started before a
   * deploy must keep working after it.
   *
   * @throws InvalidInputException naming the member that is malformed; the message never
   *     repeats the input's values (a task token may be among them)
   */
  public static <T> T read(byte[] bytes, Class<T> type) {
    ObjectReader reader = MAPPER.readerFor(type)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      return reader.readValue(bytes);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof RolloutException r) {
        throw r;
      }
      throw new InvalidInputException(type.getSimpleName(), path(e),
          e.getProcessor() == null || e.getPath().isEmpty() ? "not valid JSON"
              : "malformed (expected " + expected(e) + ")");
    } catch (IOException e) {
      throw new InvalidInputException(type.getSimpleName(), "(root)", "not valid JSON");
    }
  }

  /**
   * The workflow's value types that are not beans: instants as ISO-8601 text (Step Functions'
   * {@code EnteredTime}), rollout phases by their wire names ({@code $phase}).
   */
  private static SimpleModule stepTypes() {
    SimpleModule m = new SimpleModule("poolshift-step-types");
    m.addSerializer(Instant.class, new ToStringSerializer(Instant.class));
    m.addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
      @Override
      protected Instant _deserialize(String value, DeserializationContext ctxt) {
        try {
          return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
          // Jackson names the field when the parse fails with this type.
          throw new IllegalArgumentException("not an ISO-8601 instant", e);
        }
      }
    });
    m.addSerializer(RolloutPhase.class, new StdSerializer<>(RolloutPhase.class) {
      @Override
      public void serialize(RolloutPhase value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(value.wire());
      }
    });
    m.addDeserializer(RolloutPhase.class, new FromStringDeserializer<>(RolloutPhase.class) {
      @Override
      protected RolloutPhase _deserialize(String value, DeserializationContext ctxt) {
        return RolloutPhase.fromWire("phase", value);
      }
    });
    return m;
  }

  /** Any JSON value, as Maps, Lists and scalars. */
  public static Object readValue(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, Object.class);
    } catch (IOException e) {
      throw new InvalidInputException("event", "(root)", "not valid JSON");
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? "(root)" : b.toString();
  }

  private static String expected(JsonMappingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
        && m.getTargetType() != null) {
      return m.getTargetType().getSimpleName();
    }
    return "another shape";
  }

  /** Parses a JSON object into plain Maps, Lists and scalars; throws IOException on bad JSON. */
  public static Map<String, Object> parseObject(byte[] bytes) throws IOException {
    return MAPPER.readValue(bytes, OBJECT);
  }

  /** Parses any JSON value into plain Maps, Lists and scalars. */
  public static Object parse(String text) throws JsonProcessingException {
    return MAPPER.readValue(text, Object.class);
  }

  public static byte[] writeBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
