package dev.poolshift.rollout.usecase;

import dev.poolshift.aws.Json;
import dev.poolshift.rollout.event.EventEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The sample events under {@code events/eventbridge}, read as the handlers read them. */
public final class Events {
  private Events() {}

  public static Path path(String sample) {
    return Path.of("events/eventbridge").resolve(sample);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> json(String sample) {
    try {
      return (Map<String, Object>) Json.parse(Files.readString(path(sample)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static EventEnvelope envelope(String sample) {
    return EventEnvelope.parse(json(sample));
  }

  /** A sample with its {@code detail} edited. */
  @SuppressWarnings("unchecked")
  public static EventEnvelope envelope(String sample, Consumer<Map<String, Object>> detail) {
    Map<String, Object> event = new LinkedHashMap<>(json(sample));
    Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) event.get("detail"));
    detail.accept(d);
    event.put("detail", d);
    return EventEnvelope.parse(event);
  }

  /** A sample with an envelope field replaced. */
  public static EventEnvelope envelopeWith(String sample, String field, Object value) {
    Map<String, Object> event = new LinkedHashMap<>(json(sample));
    event.put(field, value);
    return EventEnvelope.parse(event);
  }
}
