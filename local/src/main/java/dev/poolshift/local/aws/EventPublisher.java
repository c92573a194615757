package dev.poolshift.local.aws;

/** Where local services send the events AWS would put on the default bus. */
@FunctionalInterface
public interface EventPublisher {
  void publish(ServiceEvent event);

  /** Drops every event, for services run without a bus. */
  EventPublisher NONE = event -> {};
}
