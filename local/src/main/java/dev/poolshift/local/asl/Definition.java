package dev.poolshift.local.asl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated, compiled state machine definition (JSONata query language). Build one with {@link
 * DefinitionLoader#load}; it is immutable and shared by every execution of the machine, so each
 * JSONata expression is parsed once.
 */
public final class Definition {
  private final String text;
  private final Container root;
  private final Integer timeoutSeconds;
  private final List<String> taskResources;

  Definition(String text, Container root, Integer timeoutSeconds, List<String> taskResources) {
    this.text = text;
    this.root = root;
    this.timeoutSeconds = timeoutSeconds;
    this.taskResources = List.copyOf(taskResources);
  }

  /** The definition as written. */
  public String text() {
    return text;
  }

  /** Top-level {@code TimeoutSeconds}, or null when absent (the one-year Standard limit applies). */
  public Integer timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The {@code Resource} of every Task state, in definition order. */
  public List<String> taskResources() {
    return taskResources;
  }

  Container root() {
    return root;
  }

  /** A {@code StartAt} + {@code States} pair: the machine itself, a Parallel branch, a Map processor. */
  record Container(String startAt, Map<String, State> states) {
    Container {
      states = new LinkedHashMap<>(states);
    }
  }

  enum Type {
    Task, Choice, Wait, Pass, Parallel, Map, Succeed, Fail
  }

  /** Fields common to every state. {@code next} is null for terminal states. */
  abstract static sealed class State permits TaskState, ChoiceState, WaitState, PassState, ParallelState, MapState,
      SucceedState, FailState {
    final String name;
    JsonataTemplate output;
    Map<String, JsonataTemplate> assign;
    String next;
    boolean end;

    State(String name) {
      this.name = name;
    }

    abstract Type type();
  }

  record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
      Integer maxDelaySeconds, boolean fullJitter) {}

  record Catcher(List<String> errorEquals, String next, JsonataTemplate output, Map<String, JsonataTemplate> assign, int index) {}

  /** Task, Parallel and Map: states that retry and catch. */
  interface Recovering {
    List<Retrier> retry();

    List<Catcher> catchers();
  }

  static final class TaskState extends State implements Recovering {
    String resource;
    String baseResource;
    boolean waitForTaskToken;
    JsonataTemplate arguments;
    JsonataTemplate timeoutSeconds;
    JsonataTemplate heartbeatSeconds;
    JsonataTemplate credentials;
    List<Retrier> retry = List.of();
    List<Catcher> catchers = List.of();
    TaskResource implementation;

    TaskState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Task;
    }

    @Override
    public List<Retrier> retry() {
      return retry;
    }

    @Override
    public List<Catcher> catchers() {
      return catchers;
    }
  }

  record ChoiceRule(JsonataTemplate condition, String next, JsonataTemplate output, Map<String, JsonataTemplate> assign, int index) {}

  static final class ChoiceState extends State {
    List<ChoiceRule> choices = List.of();
    String defaultNext;

    ChoiceState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Choice;
    }
  }

  static final class WaitState extends State {
    JsonataTemplate seconds;
    JsonataTemplate timestamp;

    WaitState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Wait;
    }
  }

  static final class PassState extends State {
    PassState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Pass;
    }
  }

  static final class SucceedState extends State {
    SucceedState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Succeed;
    }
  }

  static final class FailState extends State {
    JsonataTemplate error;
    JsonataTemplate cause;

    FailState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Fail;
    }
  }

  static final class ParallelState extends State implements Recovering {
    List<Container> branches = List.of();
    JsonataTemplate arguments;
    List<Retrier> retry = List.of();
    List<Catcher> catchers = List.of();

    ParallelState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Parallel;
    }

    @Override
    public List<Retrier> retry() {
      return retry;
    }

    @Override
    public List<Catcher> catchers() {
      return catchers;
    }
  }

  static final class MapState extends State implements Recovering {
    Container processor;
    JsonataTemplate items;
    JsonataTemplate itemSelector;
    JsonataTemplate maxConcurrency;
    JsonataTemplate toleratedFailureCount;
    JsonataTemplate toleratedFailurePercentage;
    List<Retrier> retry = List.of();
    List<Catcher> catchers = List.of();

    MapState(String name) {
      super(name);
    }

    @Override
    Type type() {
      return Type.Map;
    }

    @Override
    public List<Retrier> retry() {
      return retry;
    }

    @Override
    public List<Catcher> catchers() {
      return catchers;
    }
  }
}
