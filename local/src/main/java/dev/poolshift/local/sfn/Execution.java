package dev.poolshift.local.sfn;

import dev.poolshift.local.asl.History;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.asl.Interpreter;
import dev.poolshift.local.sim.Simulation;
import java.time.Instant;
import java.util.List;

/**
 * One execution of a state machine. Its status fields change once, from RUNNING to a closed
 * status, under the execution's lock; read them through {@link #snapshot()} for a consistent view.
 */
public final class Execution {
  private final String arn;
  private final StateMachine stateMachine;
  private final String name;
  private final String input;
  private final Instant startDate;
  private final History history;
  private Interpreter interpreter;
  private Simulation.Timer timeoutTimer;
  private SfnExecutionStatus status = SfnExecutionStatus.RUNNING;
  private Instant stopDate;
  private String output;
  private String error;
  private String cause;

  Execution(String arn, StateMachine stateMachine, String name, String input, Instant startDate, History history) {
    this.arn = arn;
    this.stateMachine = stateMachine;
    this.name = name;
    this.input = input;
    this.startDate = startDate;
    this.history = history;
  }

  /** An immutable view of an execution at one moment. */
  public record Snapshot(String executionArn, String stateMachineArn, String name, SfnExecutionStatus status,
      Instant startDate, Instant stopDate, String input, String output, String error, String cause,
      long stateTransitions) {}

  public String arn() {
    return arn;
  }

  public String name() {
    return name;
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  public String input() {
    return input;
  }

  public Instant startDate() {
    return startDate;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(arn, stateMachine.arn(), name, status, startDate, stopDate, input, output, error, cause,
        stateTransitions());
  }

  public synchronized SfnExecutionStatus status() {
    return status;
  }

  /** State transitions so far (billing count: states entered plus retry attempts). */
  public long stateTransitions() {
    Interpreter i;
    synchronized (this) {
      i = interpreter;
    }
    return i == null ? 0 : i.stateTransitions();
  }

  public List<HistoryEvent> history() {
    return history.events();
  }

  /** The history events after the first {@code seen}, oldest first. */
  public List<HistoryEvent> historyFrom(int seen) {
    return history.eventsFrom(seen);
  }

  History historyLog() {
    return history;
  }

  synchronized void start(Interpreter interpreter, Simulation.Timer timeoutTimer) {
    this.interpreter = interpreter;
    this.timeoutTimer = timeoutTimer;
  }

  synchronized Interpreter interpreter() {
    return interpreter;
  }

  synchronized Simulation.Timer timeoutTimer() {
    return timeoutTimer;
  }

  synchronized Instant stopDate() {
    return stopDate;
  }

  /** Moves to a closed status; false if the execution had already closed. Caller holds the lock. */
  boolean close(SfnExecutionStatus closed, Instant at, String output, String error, String cause) {
    if (status != SfnExecutionStatus.RUNNING) {
      return false;
    }
    this.status = closed;
    this.stopDate = at;
    this.output = output;
    this.error = error;
    this.cause = cause;
    return true;
  }
}
