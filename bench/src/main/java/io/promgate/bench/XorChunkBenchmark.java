package io.promgate.bench;

import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorAppender;
import io.promgate.model.chunk.XorChunk;
import io.promgate.model.chunk.XorChunksIterator;
import io.promgate.model.chunk.XorIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * XOR chunk codec: samples/s for encoding and decoding a scrape-like series (15 s steps with a few ms of
 * jitter, slowly changing gauge values), 120 samples per chunk as in the head. Run with {@code -prof gc}:
 * decoding must allocate nothing per sample (the iterator is reused across chunks).
 *
 * <p>{@code java -cp bench/target/classes:$(deps) org.openjdk.jmh.Main XorChunkBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class XorChunkBenchmark {
  static final int SAMPLES = 120;
  static final int CHUNKS = 100;

  long[] ts = new long[SAMPLES];
  double[] vs = new double[SAMPLES];
  List<XorChunk> chunks = new ArrayList<>();
  XorIterator reused = new XorIterator();

  @Setup
  public void setUp() {
    Random rnd = new Random(1);
    long t = 1_700_000_000_000L;
    double v = 100;
    for (int c = 0; c < CHUNKS; c++) {
      XorAppender a = new XorAppender();
      for (int i = 0; i < SAMPLES; i++) {
        t += 15_000 + rnd.nextInt(5) - 2;
        v += rnd.nextInt(10) == 0 ? rnd.nextGaussian() : 0;
        if (c == 0) {
          ts[i] = t;
          vs[i] = v;
        }
        a.append(t, v);
      }
      chunks.add(a.toChunk());
    }
  }

  /** One op = one 120-sample chunk encoded (the appender and its buffer are the only allocations). */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public byte[] encode() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < SAMPLES; i++) {
      a.append(ts[i], vs[i]);
    }
    return a.toByteArray();
  }

  /** One op = one sample decoded, reusing one iterator: expect ~0 B/op with -prof gc. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES * CHUNKS)
  public double decodeReused() {
    double sum = 0;
    for (XorChunk c : chunks) {
      byte[] b = c.bytes();
      reused.reset(b, 0, b.length);
      while (reused.next() == ValueType.FLOAT) {
        sum += reused.value();
      }
    }
    return sum;
  }

  /** One op = one sample read through the multi-chunk iterator the head hands to queries. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES * CHUNKS)
  public double decodeSeries() {
    double sum = 0;
    XorChunksIterator it = new XorChunksIterator(chunks);
    while (it.next() == ValueType.FLOAT) {
      sum += it.value();
    }
    return sum;
  }
}
