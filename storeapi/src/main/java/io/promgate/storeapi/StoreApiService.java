package io.promgate.storeapi;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.storeapi.thanos.LabelNamesRequest;
import io.promgate.storeapi.thanos.LabelNamesResponse;
import io.promgate.storeapi.thanos.LabelValuesRequest;
import io.promgate.storeapi.thanos.LabelValuesResponse;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.info.InfoResponse;
import io.promgate.storeapi.thanos.info.StoreInfo;
import io.promgate.storeapi.thanos.info.TSDBInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the StoreAPI answers, as plain blocking Java (the server runs it on workers): tenant scoping, external
 * labels, and the Thanos rules for matchers on them. Tenant isolation lives here: every call first resolves
 * the tenants it may see, and only their stores are ever opened.
 */
final class StoreApiService {
  /** Tenant ids as the HTTP side accepts them (see DESIGN.md, "Tenants"). */
  private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9!_.*'()-]{1,150}");

  private final TenantQueryables stores;
  private final StoreApiServerConfig config;

  StoreApiService(TenantQueryables stores, StoreApiServerConfig config) {
    this.stores = stores;
    this.config = config;
  }

  /** The tenants a call may see: the one it names, else the default, else (all-tenants mode) all. */
  List<TenantView> tenants(String header) {
    if (header != null && !header.isEmpty()) {
      if (!TENANT_ID.matcher(header).matches() || header.equals(".") || header.equals("..")) {
        throw new IllegalArgumentException("invalid tenant id in " + ThanosMethods.TENANT_HEADER + " metadata");
      }
      return List.of(view(header));
    }
    if (!config.allTenants()) {
      return List.of(view(config.defaultTenant()));
    }
    List<TenantView> views = new ArrayList<>();
    for (String t : new TreeSet<>(stores.tenants())) {
      views.add(view(t));
    }
    return views;
  }

  private TenantView view(String tenant) {
    Labels ext = config.externalLabels().toBuilder().set(config.tenantLabel(), tenant).build();
    return new TenantView(tenant, stores.forTenant(tenant), ext);
  }

  InfoResponse info(String header) {
    StoreInfo.Builder store = StoreInfo.newBuilder().setSupportsWithoutReplicaLabels(true);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    InfoResponse.Builder b = InfoResponse.newBuilder().setComponentType("receive");
    for (TenantView v : tenants(header)) {
      long tmin = stores.minTime(v.tenant());
      long tmax = stores.maxTime(v.tenant());
      min = Math.min(min, tmin);
      max = Math.max(max, tmax);
      b.addLabelSets(Protos.labelSet(v.externalLabels()));
      store.addTsdbInfos(TSDBInfo.newBuilder().setLabels(Protos.labelSet(v.externalLabels()))
          .setMinTime(tmin).setMaxTime(tmax));
    }
    // Nothing stored yet: advertise an empty range the way Thanos does for an empty TSDB.
    if (min > max) {
      min = Long.MAX_VALUE;
      max = Long.MIN_VALUE;
    }
    return b.setStore(store.setMinTime(min).setMaxTime(max)).build();
  }

  SeriesProducer series(String header, SeriesRequest r) {
    List<LabelMatcher> matchers = Protos.matchers(r.getMatchersList());
    Set<String> dropped = Set.copyOf(r.getWithoutReplicaLabelsList());
    SelectHints hints = new SelectHints(r.getMinTime(), r.getMaxTime(),
        r.getQueryHints().getStepMillis() > 0 ? r.getQueryHints().getStepMillis() : r.getStep(),
        r.getQueryHints().getRange().getMillis() > 0 ? r.getQueryHints().getRange().getMillis() : r.getRange(),
        r.getSkipChunks() ? "series" : r.getQueryHints().getFunc().getName(),
        List.copyOf(r.getQueryHints().getGrouping().getLabelsList()), r.getQueryHints().getGrouping().getBy());
    List<TenantCursor> cursors = new ArrayList<>();
    for (TenantView v : tenants(header)) {
      List<LabelMatcher> own = v.storeMatchers(matchers);
      if (own == null) {
        continue;
      }
      if (own.isEmpty()) {
        throw new IllegalArgumentException("no matchers specified (excluding external labels)");
      }
      cursors.add(new TenantCursor(v, hints, own, dropped, r.getSkipChunks()));
    }
    return new SeriesProducer(cursors, r.getLimit(), r.getResponseBatchSize());
  }

  LabelNamesResponse labelNames(String header, LabelNamesRequest r) {
    List<LabelMatcher> matchers = Protos.matchers(r.getMatchersList());
    Set<String> dropped = Set.copyOf(r.getWithoutReplicaLabelsList());
    TreeSet<String> names = new TreeSet<>();
    for (TenantView v : tenants(header)) {
      List<LabelMatcher> own = v.storeMatchers(matchers);
      if (own == null) {
        continue;
      }
      try (Querier q = v.store().querier(start(r.getStart(), r.getEnd()), end(r.getEnd()))) {
        List<String> found = q.labelNames(own);
        if (!found.isEmpty()) {
          names.addAll(found);
          v.externalLabels().forEach((n, val) -> names.add(n));
        }
      }
    }
    names.removeAll(dropped);
    return LabelNamesResponse.newBuilder().addAllNames(limit(names, r.getLimit())).build();
  }

  LabelValuesResponse labelValues(String header, LabelValuesRequest r) {
    String label = r.getLabel();
    if (label.isEmpty()) {
      throw new IllegalArgumentException("label name parameter cannot be empty");
    }
    if (r.getWithoutReplicaLabelsList().contains(label)) {
      return LabelValuesResponse.getDefaultInstance();
    }
    List<LabelMatcher> matchers = Protos.matchers(r.getMatchersList());
    long mint = start(r.getStart(), r.getEnd());
    long maxt = end(r.getEnd());
    TreeSet<String> values = new TreeSet<>();
    for (TenantView v : tenants(header)) {
      List<LabelMatcher> own = v.storeMatchers(matchers);
      if (own == null) {
        continue;
      }
      try (Querier q = v.store().querier(mint, maxt)) {
        String ext = v.externalLabels().get(label);
        if (ext.isEmpty()) {
          values.addAll(q.labelValues(label, own));
        } else if (own.isEmpty() || hasAnySeries(q, mint, maxt, own)) {
          // An external label: its one value, if the tenant has any series the matchers select.
          values.add(ext);
        }
      }
    }
    return LabelValuesResponse.newBuilder().addAllValues(limit(values, r.getLimit())).build();
  }

  private static boolean hasAnySeries(Querier q, long mint, long maxt, List<LabelMatcher> matchers) {
    SeriesSet set = q.select(false, new SelectHints(mint, maxt, 0, 0, "series", List.of(), false), matchers);
    return set.next();
  }

  /** Thanos clients always send a range; a request with neither bound means "all time". */
  private static long start(long start, long end) {
    return start == 0 && end == 0 ? Long.MIN_VALUE : start;
  }

  private static long end(long end) {
    return end == 0 ? Long.MAX_VALUE : end;
  }

  private static List<String> limit(Set<String> sorted, long limit) {
    List<String> out = new ArrayList<>(sorted);
    return limit > 0 && out.size() > limit ? out.subList(0, (int) limit) : out;
  }
}
