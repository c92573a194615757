package dev.poolshift.rollout.port;

/** Where rollout notifications go (an SNS topic). */
public interface Notifier {
  void publish(Notification notification);
}
