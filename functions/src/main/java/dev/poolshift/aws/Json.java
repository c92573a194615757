package dev.poolshift.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.RolloutException;
import java.io.IOException;
import java.util.Map;

/**
 * The functions' one configured {@link ObjectMapper}. Jackson's mapper is thread-safe and costly
 * to build, so it is built once per container.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();
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
