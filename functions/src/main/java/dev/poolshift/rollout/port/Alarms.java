package dev.poolshift.rollout.port;

import dev.poolshift.rollout.canary.AlarmSpec;
import java.util.Collection;
import java.util.Map;

/** CloudWatch alarms: the rollout's own, created and deleted; the profile's, only read. */
public interface Alarms {
  /** Creates the alarm, or replaces its configuration (its state is kept). */
  void put(AlarmSpec alarm);

  /** The states of the named alarms; an alarm that does not exist is absent from the map. */
  Map<String, AlarmStatus> describe(Collection<String> alarmNames);

  /** Deletes the named alarms; ones that do not exist are ignored. */
  void delete(Collection<String> alarmNames);
}
