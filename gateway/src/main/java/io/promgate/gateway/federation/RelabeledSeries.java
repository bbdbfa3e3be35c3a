package io.promgate.gateway.federation;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;

/** A backend's series under the labels the federation gives it (external labels, {@code __tenant_id__}). */
record RelabeledSeries(Labels labels, Series inner) implements Series {
  @Override
  public SampleIterator iterator() {
    return inner.iterator();
  }

  /** Labels with {@code extra} set (overriding, as Thanos' external labels do); the same object when none. */
  static Labels with(Labels l, java.util.Map<String, String> extra) {
    if (extra.isEmpty()) {
      return l;
    }
    Labels.Builder b = l.toBuilder();
    extra.forEach(b::set);
    return b.build();
  }
}
