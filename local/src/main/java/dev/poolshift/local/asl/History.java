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
  private final Consumer<HistoryEvent> onAppend;
  private boolean frozen;

  public History() {
    this(event -> { });
  }

  /**
   * A history that tells {@code onAppend} of every event it keeps, after the event is stored and
   * outside the history's lock, on the thread that wrote it (a rehearsal waits for a state entry).
   */
  public History(Consumer<HistoryEvent> onAppend) {
    this.onAppend = onAppend;
  }

  /** Appends an event; returns its id, or -1 when the history is frozen. */
  long append(long previousEventId, Instant at, String type, ObjectNode details) {
    HistoryEvent event;
    synchronized (this) {
      if (frozen) {
        return -1;
      }
      event = new HistoryEvent(events.size() + 1, previousEventId, at, type, details);
      events.add(event);
    }
    onAppend.accept(event);
    return event.id();
  }

  /** Writes {@code ExecutionStarted} (id 1, previous 0) into an empty history. */
  public void executionStarted(Instant at, ObjectNode details) {
    HistoryEvent event = new HistoryEvent(1, 0, at, "ExecutionStarted", details);
    synchronized (this) {
      if (!events.isEmpty()) {
        throw new IllegalStateException("history already started");
      }
      events.add(event);
    }
    onAppend.accept(event);
  }

  /** Appends the execution's terminal event and freezes the history; false if already frozen. */
  public boolean close(Instant at, String type, ObjectNode details) {
    HistoryEvent event;
    synchronized (this) {
      if (frozen) {
        return false;
      }
      event = new HistoryEvent(events.size() + 1, lastId(), at, type, details);
      events.add(event);
      frozen = true;
    }
    onAppend.accept(event);
    return true;
  }

  synchronized long lastId() {
    return events.size();
  }

  public synchronized List<HistoryEvent> events() {
    return List.copyOf(events);
  }

  /** The events from index {@code from} on (a copy): what a reader that has seen {@code from} events has not. */
  public synchronized List<HistoryEvent> eventsFrom(int from) {
    return from >= events.size() ? List.of() : List.copyOf(events.subList(from, events.size()));
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
