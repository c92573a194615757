package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An execution's event history. Ids count from 1; each event names its causal predecessor. Once
 * the execution has closed (its terminal event written) the history is frozen: states still
 * unwinding after a StopExecution add nothing, as in AWS where the abort is the last event.
 */
public final class History {
  private final List<HistoryEvent> events = new ArrayList<>();
  private final Consumer<HistoryEvent> listener;
  private boolean frozen;

  public History() {
    this(event -> { });
  }

  /** A history that tells {@code listener} each event as it is written (under the history's lock). */
  public History(Consumer<HistoryEvent> listener) {
    this.listener = listener;
  }

  /** Appends an event; returns its id, or -1 when the history is frozen. */
  synchronized long append(long previousEventId, Instant at, String type, ObjectNode details) {
    if (frozen) {
      return -1;
    }
    long id = events.size() + 1;
    HistoryEvent event = new HistoryEvent(id, previousEventId, at, type, details);
    events.add(event);
    listener.accept(event);
    return id;
  }

  /** Writes {@code ExecutionStarted} (id 1, previous 0) into an empty history. */
  public synchronized void executionStarted(Instant at, ObjectNode details) {
    if (!events.isEmpty()) {
      throw new IllegalStateException("history already started");
    }
    events.add(new HistoryEvent(1, 0, at, "ExecutionStarted", details));
  }

  /** Appends the execution's terminal event and freezes the history; false if already frozen. */
  public synchronized boolean close(Instant at, String type, ObjectNode details) {
    if (frozen) {
      return false;
    }
    events.add(new HistoryEvent(events.size() + 1, lastId(), at, type, details));
    frozen = true;
    return true;
  }

  synchronized long lastId() {
    return events.size();
  }

  public synchronized List<HistoryEvent> events() {
    return List.copyOf(events);
  }

  public synchronized int size() {
    return events.size();
  }

  /** The events of one type, in order. */
  public synchronized List<HistoryEvent> ofType(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  synchronized List<HistoryEvent> matching(Predicate<HistoryEvent> filter) {
    List<HistoryEvent> out = new ArrayList<>();
    for (HistoryEvent e : events) {
      if (filter.test(e)) {
        out.add(e);
      }
    }
    return out;
  }
}
