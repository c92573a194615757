package dev.poolshift.rollout.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetForecastTest {
  private static final String G5 = "ml.g5.2xlarge";
  private static final String G5X4 = "ml.g5.4xlarge";
  private static final String G6 = "ml.g6.2xlarge";
  private static final List<InstancePool> POOLS = List.of(new InstancePool(G5, 1, null),
      new InstancePool(G5X4, 2, null), new InstancePool(G6, 3, "m-g6"));

  /** Today 2 × g5.2xlarge; the canary config holds a pooled copy of it and a 2-instance canary. */
  private final VariantSpec copy = new VariantSpec("AllTraffic", "m1", 2, null, POOLS, 1200, 1.0,
      Map.of());
  private final VariantSpec canary = new VariantSpec("canary-v2", "m2", 2, null, POOLS, 1200, 0.0,
      Map.of());
  private final EndpointConfigSpec canaryConfig = new EndpointConfigSpec("c", List.of(copy, canary),
      Map.of(), Map.of());
  private final EndpointConfigSpec finalConfig = new EndpointConfigSpec("f",
      List.of(canary.withName("AllTraffic").withWeight(1.0)), Map.of(), Map.of());
  private final Map<String, Integer> serving = Map.of(G5, 2);

  @Test
  void eachFleetNamesWhatItNeedsAndFillsItsPoolsInPriorityOrderWithinTheQuotaHeadroom() {
    // g5.2xlarge: quota 4, 2 in use here → headroom 2; no g5.4xlarge quota left; g6 plenty.
    List<FleetForecast.Fleet> fleets = FleetForecast.of(canaryConfig, "AllTraffic", "canary-v2",
        finalConfig, Map.of(G5, 2, G5X4, 0, G6, 8), serving);

    assertThat(fleets).extracting(FleetForecast.Fleet::fleet)
        .containsExactly("baseline copy", "canary", "promoted");
    assertThat(fleets.get(0).likely()).as("the copy takes the g5 headroom").isEqualTo(Map.of(G5, 2));
    assertThat(fleets.get(1).likely()).as("the canary falls past g5.4xlarge to g6")
        .isEqualTo(Map.of(G6, 2));
    assertThat(fleets.get(2).likely()).as("today's fleet is gone by the promotion")
        .isEqualTo(Map.of(G5, 2));
    assertThat(fleets.get(1).why()).contains("ml.g5.2xlarge: quota headroom 0")
        .contains("ml.g5.4xlarge: quota headroom 0");
    assertThat(fleets).allSatisfy(f -> {
      assertThat(f.instances()).isEqualTo(2);
      assertThat(f.pools()).containsExactly(G5, G5X4, G6);
    });
  }

  @Test
  void aBlueGreenSwitchForecastsOnlyThePromotedFleetNextToTodays() {
    List<FleetForecast.Fleet> fleets = FleetForecast.of(null, "AllTraffic", "canary-v2",
        finalConfig, Map.of(G5, 2, G5X4, 0, G6, 8), serving);

    assertThat(fleets).singleElement().satisfies(f -> {
      assertThat(f.fleet()).isEqualTo("promoted");
      assertThat(f.likely()).as("today's fleet still holds its g5s: only the headroom counts")
          .isEqualTo(Map.of(G5, 2));
    });
  }

  @Test
  void withoutAListedQuotaTheForecastSaysItCannotSeeCapacity() {
    List<FleetForecast.Fleet> fleets = FleetForecast.of(canaryConfig, "AllTraffic", "canary-v2",
        finalConfig, Map.of(), serving);

    assertThat(fleets).allSatisfy(f -> {
      assertThat(f.likely()).isEqualTo(Map.of(G5, 2));
      assertThat(f.why()).contains("no quota listed (capacity is not visible before provisioning)");
    });
  }

  @Test
  void aSingleTypeFleetThatDoesNotFitLandsNowhere() {
    VariantSpec single = new VariantSpec("AllTraffic", "m1", 3, G5, List.of(), null, 1.0, Map.of());
    EndpointConfigSpec config = new EndpointConfigSpec("c", List.of(single, canary), Map.of(),
        Map.of());

    FleetForecast.Fleet copyFleet = FleetForecast.of(config, "AllTraffic", "canary-v2", finalConfig,
        Map.of(G5, 2, G6, 8), serving).getFirst();

    assertThat(copyFleet.likely()).isEmpty();
    assertThat(copyFleet.why()).contains("a single-type fleet does not fall back")
        .contains("3 of 3 instances fit no pool's quota");
  }
}
