package io.promgate.gateway.write;

import io.promgate.gateway.write.WireReader.MalformedException;
import io.promgate.model.Labels;
import io.promgate.routing.config.IngestLimits;
import io.promgate.storeapi.prompb.MetricMetadata.MetricType;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.SeriesSamples;
import io.promgate.tsdb.head.SeriesHint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes a remote-write 1.0 {@code prometheus.WriteRequest} straight from the protobuf wire bytes into the
 * store's {@link SeriesSamples}, without the generated message objects.
 *
 * <p>Why: a remote-write sender repeats the same label sets in every request (one sample per series per
 * request is the norm), and decoding them into protobuf {@code Label}s, then Java strings, then hashing them
 * to find the head series dominated the write path (JFR: UTF-8 decoding, {@code String.hashCode},
 * {@code Arrays.hashCode} of the label pairs, list copies). Here the encoded label fields of a series are
 * the key of a cache of validated {@link Labels}: a known series costs one hash over its label bytes and one
 * byte comparison, and yields the same {@code Labels} instance every time, whose strings are interned, so
 * the head's own interning adopts them and its series lookup succeeds on identity.
 *
 * <p>The cache holds only label sets that pass the tenant-independent checks; per-tenant limits are checked
 * on every request from figures kept in the entry. It is dropped as a whole when it reaches its size bound
 * (a sender with more active series than that only loses the shortcut). The wire rules follow
 * protobuf-java's generated parser: unknown fields and fields with an unexpected wire type are skipped,
 * strings must be valid UTF-8, missing fields take their defaults.
 *
 * <p>An entry is also the {@link SeriesHint} handed to the store with the samples: the head remembers its
 * series there, so a known series costs no second lookup by labels in the head. The entry is its own map
 * key (no separate key object to load); see {@link LabelTable} and {@link #resolve} for the lookups.
 */
final class WriteRequestDecoder {
  private final int maxEntries;
  private final LabelTable cache;
  private final ConcurrentHashMap<String, String> symbols = new ConcurrentHashMap<>();

  WriteRequestDecoder(int maxEntries) {
    // Sized for the first 128k series (a table of 256k slots, 1 MiB): growing a map while senders look up
    // their series cost ~7% of the ingest CPU in the 100k-series benchmark (JFR: CHM transfer, ForwardingNode).
    this(maxEntries, Math.min(maxEntries, 1 << 17));
  }

  /** With the table sized for {@code presized} label sets (tests make it grow). */
  WriteRequestDecoder(int maxEntries, int presized) {
    this.maxEntries = maxEntries;
    this.cache = new LabelTable(presized);
  }

  /**
   * A validated label set and what the per-tenant label limits need of it; keyed by its encoded label
   * fields (an owned copy).
   */
  private static final class Entry extends SeriesHint {
    final byte[] key;
    final int hash;
    final int names;
    final int longestName;
    final int longestValue;
    final String longestNameText;
    final String longestValueText;

    Entry(byte[] key, int hash, Labels labels, int names, int longestName, int longestValue,
        String longestNameText, String longestValueText) {
      super(labels);
      this.key = key;
      this.hash = hash;
      this.names = names;
      this.longestName = longestName;
      this.longestValue = longestValue;
      this.longestNameText = longestNameText;
      this.longestValueText = longestValueText;
    }
  }

  DecodedWrite decode(byte[] b, int off, int len, IngestLimits limits) throws MalformedException {
    WireReader r = new WireReader(b, off, off + len);
    ArrayList<SeriesSamples> series = new ArrayList<>();
    List<MetricMetadata> metadata = new ArrayList<>(0);
    Tally tally = new Tally();
    Parsed parsed = new Parsed();
    while (r.more()) {
      int tag = r.tag();
      if (tag == (1 << 3 | 2)) {
        int end = r.lengthEnd();
        timeSeries(r, end, parsed, tally);
        r.pos = end;
      } else if (tag == (3 << 3 | 2)) {
        int end = r.lengthEnd();
        MetricMetadata m = metadata(r, end);
        if (m != null) {
          metadata.add(m);
        }
        r.pos = end;
      } else {
        r.skip(tag);
      }
    }
    resolve(parsed, limits, series, tally);
    return new DecodedWrite(series, metadata, tally.samples, tally.invalid, tally.example, tally.histograms,
        List.copyOf(tally.limitsHit), tally.minT, tally.maxT);
  }

  /** The series of a request as parsed: label bytes (a slice), their hash, samples; in request order. */
  private static final class Parsed {
    int count;
    byte[][] keyBytes = new byte[64][];
    int[] keyOff = new int[64];
    int[] keyLen = new int[64];
    int[] hash = new int[64];
    long[][] ts = new long[64][];
    double[][] vs = new double[64][];

    void add(byte[] kb, int ko, int kl, int h, long[] t, double[] v) {
      if (count == hash.length) {
        int cap = count * 2;
        keyBytes = Arrays.copyOf(keyBytes, cap);
        keyOff = Arrays.copyOf(keyOff, cap);
        keyLen = Arrays.copyOf(keyLen, cap);
        hash = Arrays.copyOf(hash, cap);
        ts = Arrays.copyOf(ts, cap);
        vs = Arrays.copyOf(vs, cap);
      }
      keyBytes[count] = kb;
      keyOff[count] = ko;
      keyLen[count] = kl;
      hash[count] = h;
      ts[count] = t;
      vs[count] = v;
      count++;
    }
  }

  /**
   * Looks the parsed series up in the cache, in request order, refusing invalid ones. Lookups are staged:
   * first the table slot of every series is loaded, then every candidate entry is touched, then each is
   * compared. Each stage is a short loop of independent loads, so the CPU has many cache misses in flight
   * at once instead of one chain (slot, entry, key bytes) per series after the other; the lookups of ~100k
   * series that do not fit any cache were the largest item of the ingest profile.
   */
  private void resolve(Parsed p, IngestLimits limits, ArrayList<SeriesSamples> out, Tally tally)
      throws MalformedException {
    int m = p.count;
    out.ensureCapacity(m);
    Entry[] slots = cache.slots();
    int mask = slots.length - 1;
    Entry[] cand = new Entry[m];
    for (int i = 0; i < m; i++) {
      cand[i] = slots[p.hash[i] & mask];
    }
    int touched = 0;
    for (int i = 0; i < m; i++) {
      Entry e = cand[i];
      if (e != null && e.hash == p.hash[i]) {
        touched += e.key.length;
      }
    }
    tally.touched = touched; // keeps the touching loop from being optimized away
    for (int i = 0; i < m; i++) {
      byte[] kb = p.keyBytes[i];
      int ko = p.keyOff[i];
      int kl = p.keyLen[i];
      int h = p.hash[i];
      Entry entry = cand[i];
      if (entry == null || entry.hash != h || !Arrays.equals(entry.key, 0, entry.key.length, kb, ko, ko + kl)) {
        entry = cache.get(slots, kb, ko, kl, h);
      }
      int n = p.ts[i].length;
      if (entry == null) {
        entry = learn(kb, ko, kl, h, n, tally);
        if (entry == null) {
          continue;
        }
      }
      if (limits.limitsLabels() && refusedByLimits(entry, limits, n, tally)) {
        continue;
      }
      if (n > 0) {
        long[] ts = p.ts[i];
        out.add(new SeriesSamples(entry.labels(), ts, p.vs[i], entry));
        tally.samples += n;
        for (long t : ts) {
          tally.minT = Math.min(tally.minT, t);
          tally.maxT = Math.max(tally.maxT, t);
        }
      }
    }
  }

  private static final class Tally {
    long samples;
    long invalid;
    long histograms;
    String example;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    int touched;
    final java.util.Set<String> limitsHit = new java.util.LinkedHashSet<>();

    void refuse(long n, String problem, String limit) {
      invalid += n;
      if (example == null) {
        example = problem;
      }
      if (limit != null) {
        limitsHit.add(limit);
      }
    }
  }

  /*
   * timeSeries runs once per series and is kept small: the rare paths (histograms, exemplars, scattered
   * labels, a label set not cached yet, label limits) are methods of their own that C2 does not inline at
   * a cold call site. With them inlined, compiling it took the JIT ~3 s (wall) per ingest benchmark run, and
   * it is compiled several times there (the first requests miss the cache, later ones hit it).
   */
  private static void timeSeries(WireReader r, int end, Parsed parsed, Tally tally) throws MalformedException {
    int start = r.pos;
    int labelsStart = -1;
    int labelsEnd = -1;
    boolean contiguous = true;
    int n = 0;
    while (r.pos < end) {
      int at = r.pos;
      int tag = r.tag(end);
      if (tag == (1 << 3 | 2)) {
        int e = r.lengthEnd(end);
        if (labelsStart < 0) {
          labelsStart = at;
        } else if (labelsEnd != at) {
          contiguous = false;
        }
        labelsEnd = e;
        r.pos = e;
      } else if (tag == (2 << 3 | 2)) {
        r.pos = r.lengthEnd(end);
        n++;
      } else {
        otherField(r, tag, end, tally);
      }
    }
    byte[] kb = r.b;
    int ko = labelsStart < 0 ? start : labelsStart;
    int kl = labelsStart < 0 ? 0 : labelsEnd - labelsStart;
    if (!contiguous) { // legal but unusual: other fields between the labels; the key is the labels alone
      kb = labelFields(r.b, start, end);
      ko = 0;
      kl = kb.length;
    }
    // Samples first, even for a series refused below: damage anywhere in them refuses the whole request,
    // as protobuf-java's parser would.
    long[] ts = new long[n];
    double[] vs = new double[n];
    if (n > 0) {
      samples(r, start, end, ts, vs);
    }
    parsed.add(kb, ko, kl, LabelTable.hash(kb, ko, kl), ts, vs);
  }

  /** A series field other than labels and samples: histograms and exemplars are checked, others skipped. */
  private static void otherField(WireReader r, int tag, int end, Tally tally) throws MalformedException {
    if (tag == (4 << 3 | 2)) {
      int e = r.lengthEnd(end);
      requireWellFormed(io.promgate.storeapi.prompb.Histogram.parser(), r.b, r.pos, e, "histogram");
      r.pos = e;
      tally.histograms++;
    } else if (tag == (3 << 3 | 2)) {
      int e = r.lengthEnd(end);
      requireWellFormed(io.promgate.storeapi.prompb.Exemplar.parser(), r.b, r.pos, e, "exemplar");
      r.pos = e;
    } else {
      r.skip(tag, end);
    }
  }

  /** A label set not in the cache: validated and cached, or refused (null) with its n samples tallied. */
  private Entry learn(byte[] kb, int ko, int kl, int hash, int n, Tally tally) throws MalformedException {
    String[] pairs = labelPairs(kb, ko, ko + kl);
    String problem = DecodedWrite.problem(pairs);
    if (problem != null) {
      tally.refuse(n, problem + " in series " + DecodedWrite.render(pairs), null);
      return null;
    }
    return remember(kb, ko, kl, hash, pairs);
  }

  /** Whether a per-tenant label limit refuses the series; if so its n samples are tallied. */
  private static boolean refusedByLimits(Entry entry, IngestLimits limits, int n, Tally tally) {
    String limit = overLimit(entry, limits);
    if (limit == null) {
      return false;
    }
    tally.refuse(n, overLimitMessage(entry, limit, limits), limit);
    return true;
  }

  private static void samples(WireReader r, int start, int end, long[] ts, double[] vs) throws MalformedException {
    int i = 0;
    r.pos = start;
    while (r.pos < end) {
      int tag = r.tag(end);
      if (tag == (2 << 3 | 2)) {
        int e = r.lengthEnd(end);
        long t = 0;
        long v = 0;
        while (r.pos < e) {
          int st = r.tag(e);
          if (st == (1 << 3 | 1)) {
            v = r.fixed64(e);
          } else if (st == (2 << 3)) {
            t = r.varint(e);
          } else {
            r.skip(st, e);
          }
        }
        ts[i] = t;
        vs[i] = Double.longBitsToDouble(v);
        i++;
      } else {
        r.skip(tag, end);
      }
    }
  }

  /** The label fields of a series whose labels are not adjacent, concatenated. */
  private static byte[] labelFields(byte[] b, int start, int end) throws MalformedException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    WireReader r = new WireReader(b, start, end);
    while (r.pos < end) {
      int at = r.pos;
      int tag = r.tag(end);
      if (tag == (1 << 3 | 2)) {
        r.pos = r.lengthEnd(end);
        out.write(b, at, r.pos - at);
      } else {
        r.skip(tag, end);
      }
    }
    return out.toByteArray();
  }

  /** Name/value pairs of encoded label fields, in the order sent; strings interned. */
  private String[] labelPairs(byte[] b, int start, int end) throws MalformedException {
    List<String> pairs = new ArrayList<>(16);
    WireReader r = new WireReader(b, start, end);
    while (r.pos < end) {
      r.tag(end); // only label fields are here
      int e = r.lengthEnd(end);
      String name = "";
      String value = "";
      while (r.pos < e) {
        int tag = r.tag(e);
        if (tag == (1 << 3 | 2)) {
          name = r.string(e);
        } else if (tag == (2 << 3 | 2)) {
          value = r.string(e);
        } else {
          r.skip(tag, e);
        }
      }
      pairs.add(intern(name));
      pairs.add(intern(value));
    }
    return pairs.toArray(new String[0]);
  }

  private String intern(String s) {
    String prev = symbols.putIfAbsent(s, s);
    return prev == null ? s : prev;
  }

  /** Caches a valid label set; pairs as sent (empty values included, as they are part of the key). */
  private Entry remember(byte[] b, int off, int len, int hash, String[] pairs) {
    int k = 0;
    String[] kept = new String[pairs.length];
    int longestName = 0;
    int longestValue = 0;
    String nameText = "";
    String valueText = "";
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1].isEmpty()) { // an empty value means "no such label", as in Prometheus
        continue;
      }
      kept[k++] = pairs[i];
      kept[k++] = pairs[i + 1];
      int nl = utf8Length(pairs[i]);
      int vl = utf8Length(pairs[i + 1]);
      if (nl > longestName) {
        longestName = nl;
        nameText = pairs[i];
      }
      if (vl > longestValue) {
        longestValue = vl;
        valueText = pairs[i + 1];
      }
    }
    Labels labels = Labels.fromSortedPairs(k == kept.length ? kept : Arrays.copyOf(kept, k));
    Entry e = new Entry(Arrays.copyOfRange(b, off, off + len), hash, labels, k / 2, longestName, longestValue,
        nameText, valueText);
    if (cache.size() >= maxEntries) {
      cache.clear(); // simplest bound: senders re-fill it with what is active
      symbols.clear();
    }
    return cache.putIfAbsent(e);
  }

  private static int utf8Length(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return s.length();
  }

  /** The first per-tenant label limit the series breaks (Mimir's order), or null. */
  private static String overLimit(Entry e, IngestLimits l) {
    if (l.maxLabelNamesPerSeries() > 0 && e.names > l.maxLabelNamesPerSeries()) {
      return "max-label-names-per-series";
    }
    if (l.maxLabelNameLength() > 0 && e.longestName > l.maxLabelNameLength()) {
      return "max-label-name-length";
    }
    if (l.maxLabelValueLength() > 0 && e.longestValue > l.maxLabelValueLength()) {
      return "max-label-value-length";
    }
    return null;
  }

  private static String overLimitMessage(Entry e, String limit, IngestLimits l) {
    return switch (limit) {
      case "max-label-names-per-series" -> "series " + e.labels() + " has " + e.names
          + " label names, more than the limit (max-label-names-per-series " + l.maxLabelNamesPerSeries() + ")";
      case "max-label-name-length" -> "label name \"" + e.longestNameText + "\" of series " + e.labels() + " is "
          + e.longestName + " bytes long, longer than the limit (max-label-name-length " + l.maxLabelNameLength() + ")";
      default -> "label value of " + e.longestValueText.length() + " characters (" + e.longestValue
          + " bytes) in series " + e.labels() + " is longer than the limit (max-label-value-length "
          + l.maxLabelValueLength() + ")";
    };
  }

  private static MetricMetadata metadata(WireReader r, int end) throws MalformedException {
    int type = 0;
    String family = "";
    String help = "";
    String unit = "";
    while (r.pos < end) {
      int tag = r.tag(end);
      switch (tag) {
        case 1 << 3 -> type = (int) r.varint(end);
        case 2 << 3 | 2 -> family = r.string(end);
        case 4 << 3 | 2 -> help = r.string(end);
        case 5 << 3 | 2 -> unit = r.string(end);
        default -> r.skip(tag, end);
      }
    }
    if (family.isEmpty()) {
      return null;
    }
    MetricType t = MetricType.forNumber(type);
    return new MetricMetadata(family, t == null ? "unknown" : t.name().toLowerCase(Locale.ROOT), help, unit);
  }

  int cachedSeries() {
    return cache.size();
  }

  /**
   * The label cache: entries by their label bytes, an open-addressing table (linear probing, at most half
   * full) of entry references. Lookups take no lock: entries are immutable but for their hint, inserts go
   * into free slots (a reader that misses one learns the labels and finds it under the lock), and a grown
   * table is filled before it is published. Compared with a ConcurrentHashMap it saves the node between
   * slot and entry, one cache miss per series, and it lets {@link #resolve} load slots directly.
   */
  private static final class LabelTable {
    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final int initialSlots;
    private volatile Entry[] slots;
    private int size; // guarded by this

    LabelTable(int expected) {
      initialSlots = Integer.highestOneBit(Math.max(16, expected) - 1) << 2; // at most half full at expected
      slots = new Entry[initialSlots];
    }

    Entry[] slots() {
      return slots;
    }

    /** The entry for the label bytes in {@code s} (a table from {@link #slots}), or null. */
    static Entry get(Entry[] s, byte[] b, int off, int len, int hash) {
      int mask = s.length - 1;
      for (int i = hash & mask; ; i = (i + 1) & mask) {
        Entry e = s[i];
        if (e == null) {
          return null;
        }
        if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, b, off, off + len)) {
          return e;
        }
      }
    }

    /** Adds {@code e} unless an entry for its bytes is there already; returns the one in the table. */
    synchronized Entry putIfAbsent(Entry e) {
      Entry[] s = slots;
      Entry old = get(s, e.key, 0, e.key.length, e.hash);
      if (old != null) {
        return old;
      }
      if ((size + 1) * 2 > s.length) {
        Entry[] grown = new Entry[s.length * 2];
        for (Entry x : s) {
          if (x != null) {
            insert(grown, x);
          }
        }
        s = grown;
        insert(s, e);
        slots = s; // published filled
      } else {
        insert(s, e);
      }
      size++;
      return e;
    }

    private static void insert(Entry[] s, Entry e) {
      int mask = s.length - 1;
      int i = e.hash & mask;
      while (s[i] != null) {
        i = (i + 1) & mask;
      }
      s[i] = e;
    }

    synchronized int size() {
      return size;
    }

    synchronized void clear() {
      slots = new Entry[initialSlots];
      size = 0;
    }

    /**
     * A hash over 8 bytes per step: the byte-wise {@code 31 * h + b} over a series' ~150 label bytes was
     * 12% of the ingest CPU (JFR), one multiply latency per byte. Well mixed in the low bits, which pick
     * the slot.
     */
    static int hash(byte[] b, int off, int len) {
      long h = len * 0x9E3779B97F4A7C15L;
      int i = off;
      int end = off + len;
      for (; i + 8 <= end; i += 8) {
        h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
      }
      long tail = 0;
      for (int shift = 0; i < end; i++, shift += 8) {
        tail |= (b[i] & 0xffL) << shift;
      }
      h = (h ^ tail) * 0x94D049BB133111EBL;
      h ^= h >>> 29;
      return (int) (h ^ (h >>> 32));
    }
  }

  /**
   * Exemplars and histograms are not stored, but a body that Prometheus (and protobuf-java) cannot
   * unmarshal is refused whole there, so it must be here too: a damaged one fails the request, as it would.
   * They are rare enough for the generated parser's cost.
   */
  private static void requireWellFormed(com.google.protobuf.Parser<?> parser, byte[] b, int from, int to, String what)
      throws MalformedException {
    try {
      parser.parseFrom(b, from, to - from);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new MalformedException("malformed " + what + ": " + e.getMessage());
    }
  }
}
