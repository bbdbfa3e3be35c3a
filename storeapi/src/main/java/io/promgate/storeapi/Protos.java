package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.storeapi.thanos.Label;
import io.promgate.storeapi.thanos.ZLabelSet;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the model and the Thanos protobuf messages. */
final class Protos {
  private Protos() {
  }

  static List<Label> labels(Labels labels) {
    List<Label> out = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      out.add(Label.newBuilder().setName(labels.name(i)).setValue(labels.value(i)).build());
    }
    return out;
  }

  static ZLabelSet labelSet(Labels labels) {
    return ZLabelSet.newBuilder().addAllLabels(labels(labels)).build();
  }

  /** Labels from the wire; sorted and deduplicated defensively, since a foreign server may not be strict. */
  static Labels labels(List<Label> labels) {
    String[] pairs = new String[labels.size() * 2];
    boolean sorted = true;
    for (int i = 0; i < labels.size(); i++) {
      Label l = labels.get(i);
      if (l.getValue().isEmpty() || (i > 0 && pairs[2 * i - 2].compareTo(l.getName()) >= 0)) {
        sorted = false;
      }
      pairs[2 * i] = l.getName();
      pairs[2 * i + 1] = l.getValue();
    }
    if (sorted) {
      return Labels.fromSortedPairs(pairs);
    }
    return Labels.of(pairs);
  }

  /** @throws IllegalArgumentException for an invalid regular expression */
  static List<LabelMatcher> matchers(List<io.promgate.storeapi.thanos.LabelMatcher> matchers) {
    List<LabelMatcher> out = new ArrayList<>(matchers.size());
    for (io.promgate.storeapi.thanos.LabelMatcher m : matchers) {
      LabelMatcher.Type type = switch (m.getType()) {
        case EQ -> LabelMatcher.Type.EQ;
        case NEQ -> LabelMatcher.Type.NEQ;
        case RE -> LabelMatcher.Type.RE;
        case NRE -> LabelMatcher.Type.NRE;
        case UNRECOGNIZED -> throw new IllegalArgumentException("unknown matcher type " + m.getTypeValue());
      };
      out.add(LabelMatcher.of(type, m.getName(), m.getValue()));
    }
    return out;
  }

  static List<io.promgate.storeapi.thanos.LabelMatcher> toProto(List<LabelMatcher> matchers) {
    List<io.promgate.storeapi.thanos.LabelMatcher> out = new ArrayList<>(matchers.size());
    for (LabelMatcher m : matchers) {
      io.promgate.storeapi.thanos.LabelMatcher.Type type = switch (m.type()) {
        case EQ -> io.promgate.storeapi.thanos.LabelMatcher.Type.EQ;
        case NEQ -> io.promgate.storeapi.thanos.LabelMatcher.Type.NEQ;
        case RE -> io.promgate.storeapi.thanos.LabelMatcher.Type.RE;
        case NRE -> io.promgate.storeapi.thanos.LabelMatcher.Type.NRE;
      };
      out.add(io.promgate.storeapi.thanos.LabelMatcher.newBuilder()
          .setType(type).setName(m.name()).setValue(m.value()).build());
    }
    return out;
  }
}
