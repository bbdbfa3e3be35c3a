package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Queryable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One tenant as the StoreAPI shows it: its store and the external labels added to each of its series
 * (the configured ones plus {@code tenant_id}, as Thanos Receive adds them).
 */
record TenantView(String tenant, Queryable store, Labels externalLabels) {

  /**
   * Thanos' {@code matchesExternalLabels}: a matcher on an external label name is decided here against the
   * external value and not passed on; the rest go to the store. Null when an external label does not match,
   * i.e. the tenant has nothing to return.
   */
  List<LabelMatcher> storeMatchers(List<LabelMatcher> matchers) {
    List<LabelMatcher> rest = new ArrayList<>(matchers.size());
    for (LabelMatcher m : matchers) {
      if (!externalLabels.has(m.name())) {
        rest.add(m);
      } else if (!m.matches(externalLabels.get(m.name()))) {
        return null;
      }
    }
    return rest;
  }

  /** External labels without the replica labels a request asked to drop. */
  Labels externalLabelsWithout(Collection<String> dropped) {
    return externalLabels.without(dropped);
  }

  /**
   * The labels a series is served with: its own minus the dropped replica labels, extended with the external
   * labels, which win on a name clash (Thanos' {@code ExtendSortedLabels}).
   */
  static Labels served(Labels series, Collection<String> dropped, Labels external) {
    Labels own = dropped.isEmpty() ? series : series.without(dropped);
    if (external.isEmpty()) {
      return own;
    }
    // A merge of two sorted label lists: runs once per streamed series, so no maps or builders.
    String[] out = new String[2 * (own.size() + external.size())];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < own.size() || j < external.size()) {
      int c = i == own.size() ? 1 : j == external.size() ? -1 : own.name(i).compareTo(external.name(j));
      if (c < 0) {
        out[k++] = own.name(i);
        out[k++] = own.value(i++);
      } else {
        out[k++] = external.name(j);
        out[k++] = external.value(j++);
        if (c == 0) {
          i++; // the external label wins
        }
      }
    }
    return Labels.fromSortedPairs(k == out.length ? out : java.util.Arrays.copyOf(out, k));
  }
}
