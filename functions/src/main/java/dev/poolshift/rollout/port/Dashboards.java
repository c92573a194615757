package dev.poolshift.rollout.port;


/** The per-endpoint dashboard an on-call engineer opens during a rollout. */
public interface Dashboards {
  /** Creates or replaces the endpoint's dashboard (a set: calling it again is harmless). */
  void put(EndpointDashboard dashboard);

  /** No dashboards (tests that do not look at them). */
  Dashboards NONE = dashboard -> {
  };
}
