package dev.poolshift.local.cloudwatch;

import java.util.List;

/** The local CloudWatch's dashboard-body checks, for tests outside its package. */
public final class DashboardValidation {
  private DashboardValidation() {}

  /** Each problem PutDashboard would refuse the body for, as "DataPath: Message". */
  public static List<String> messages(String body) {
    return Dashboards.validate(body).stream().map(m -> m[0] + ": " + m[1]).toList();
  }
}
