package io.promgate.routing.plan;

import java.util.List;

/**
 * The fan-out of one selector: the backends asked, each with its sub-range, in route order (earlier
 * windows' backends first, which also decides who wins equal timestamps when ranges overlap), and the
 * backends pruned with the reason.
 */
public record SelectorPlan(SelectorRequest selector, List<Assignment> assignments, List<Pruned> pruned) {
  public SelectorPlan {
    assignments = List.copyOf(assignments);
    pruned = List.copyOf(pruned);
  }
}
