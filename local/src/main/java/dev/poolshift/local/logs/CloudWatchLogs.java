package dev.poolshift.local.logs;

import dev.poolshift.local.observe.RuntimeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The log groups, streams and events of the local runtime, as CloudWatch Logs keeps them: Lambda
 * writes each function's lines to {@code /aws/lambda/<function name>}, one stream per execution
 * environment, and creates the group and the stream with their first line (the template declares
 * no log groups, so nothing exists before a function has run). Events are ingested the moment
 * they are written: ingestion time equals the event's virtual timestamp.
 */
public final class CloudWatchLogs {
  /** One stored event; {@code sequence} orders all events of the store as they were ingested. */
  public record Event(String group, String stream, long timestamp, long ingestionTime, String message, long sequence) {
    /** A stable id: the same event has the same id in every answer ({@code aws logs tail --follow} relies on it). */
    public String eventId() {
      return String.format("%019d%019d", timestamp, sequence);
    }

    int bytes() {
      // PutLogEvents counts each event's UTF-8 message plus 26 bytes; pages are capped the same way.
      return message.getBytes(StandardCharsets.UTF_8).length + 26;
    }
  }

  /** A log stream and its events, oldest first. */
  public record Stream(String name, long creationTime, List<Event> events) {
    public Long firstEventTimestamp() {
      return events.isEmpty() ? null : events.getFirst().timestamp();
    }

    public Long lastEventTimestamp() {
      return events.isEmpty() ? null : events.getLast().timestamp();
    }

    public Long lastIngestionTime() {
      return events.isEmpty() ? null : events.getLast().ingestionTime();
    }
  }

  /** A log group and its streams by name. */
  public record Group(String name, long creationTime, Map<String, Stream> streams) {
    public long storedBytes() {
      return streams.values().stream().flatMap(s -> s.events().stream())
          .mapToLong(e -> e.message().getBytes(StandardCharsets.UTF_8).length).sum();
    }
  }

  private final Map<String, Group> groups = new TreeMap<>();
  private long sequence;

  /** Stores a line a function logged; other runtime events are not logs. */
  public void record(RuntimeEvent event) {
    if (event instanceof RuntimeEvent.LambdaLog line) {
      append(line.logGroup(), line.logStream(), line.at(), line.text());
    }
  }

  /**
   * Appends one event, creating its group and stream if needed. An empty line is dropped:
   * CloudWatch Logs does not store an event without a message (its minimum length is 1).
   */
  public synchronized void append(String group, String stream, Instant at, String message) {
    if (message == null || message.isEmpty()) {
      return;
    }
    long millis = at.toEpochMilli();
    Group g = groups.computeIfAbsent(group, name -> new Group(name, millis, new TreeMap<>()));
    Stream s = g.streams().computeIfAbsent(stream, name -> new Stream(name, millis, new ArrayList<>()));
    s.events().add(new Event(group, stream, millis, millis, message, ++sequence));
  }

  /** Every group, by name, as it is now (copies). */
  public synchronized List<Group> groups() {
    return groups.values().stream().map(CloudWatchLogs::copy).toList();
  }

  public synchronized Optional<Group> group(String name) {
    return Optional.ofNullable(groups.get(name)).map(CloudWatchLogs::copy);
  }

  private static Group copy(Group g) {
    Map<String, Stream> streams = new TreeMap<>();
    g.streams().forEach((k, s) -> streams.put(k, new Stream(s.name(), s.creationTime(), List.copyOf(s.events()))));
    return new Group(g.name(), g.creationTime(), streams);
  }
}
