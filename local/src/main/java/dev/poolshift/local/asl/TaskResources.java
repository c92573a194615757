package dev.poolshift.local.asl;

import java.util.List;
import java.util.Optional;

/** The Task resources an engine knows, asked in order: the first that supports an ARN runs it. */
public final class TaskResources {
  private final List<TaskResource> resources;

  public TaskResources(List<TaskResource> resources) {
    this.resources = List.copyOf(resources);
  }

  public static TaskResources of(TaskResource... resources) {
    return new TaskResources(List.of(resources));
  }

  /** The resource for an ARN without the {@code .waitForTaskToken} suffix. */
  public Optional<TaskResource> find(String resourceArn) {
    for (TaskResource r : resources) {
      if (r.supports(resourceArn)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
