package dev.poolshift.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
