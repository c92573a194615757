package dev.poolshift.local.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The runtime's event stream: the Step Functions, Lambda and SNS simulators publish what they do,
 * and whoever watches ({@code serve}'s console output, the CloudWatch Logs store) subscribes.
 *
 * <p>Listeners run on the publishing thread, often a simulation activity holding a service's
 * lock: they must be quick and must never wait on the simulation. One that prints hands the event
 * to a thread of its own.
 */
public final class RuntimeEvents {
  private final List<Consumer<RuntimeEvent>> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener; closing the returned handle removes it. */
  public Subscription subscribe(Consumer<RuntimeEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void publish(RuntimeEvent event) {
    for (Consumer<RuntimeEvent> listener : listeners) {
      listener.accept(event);
    }
  }

  /** A listener's registration. */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
