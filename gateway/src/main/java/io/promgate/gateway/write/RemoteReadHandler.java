package io.promgate.gateway.write;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.Querier;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorAppender;
import io.promgate.model.chunk.XorChunk;
import io.promgate.storeapi.prompb.Chunk;
import io.promgate.storeapi.prompb.ChunkedReadResponse;
import io.promgate.storeapi.prompb.ChunkedSeries;
import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.Query;
import io.promgate.storeapi.prompb.QueryResult;
import io.promgate.storeapi.prompb.ReadRequest;
import io.promgate.storeapi.prompb.ReadResponse;
import io.promgate.storeapi.prompb.Sample;
import io.promgate.storeapi.prompb.TimeSeries;
import io.promgate.tsdb.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote read ({@code /api/v1/read}) over the bundled store of one tenant, so that a Prometheus
 * with {@code remote_read} pointed at promgate (or any remote-read client) sees what was remote-written.
 * It sits beside {@link RemoteWriteHandler} because both serve the bundled store.
 *
 * <p>Response types as Prometheus negotiates them: the first of {@code accepted_response_types} we support,
 * {@code SAMPLES} when the list is empty. {@code SAMPLES}: one snappy-compressed {@code ReadResponse}.
 * {@code STREAMED_XOR_CHUNKS}: frames of {@code uvarint length, big-endian CRC32C, ChunkedReadResponse},
 * one series per frame, series sorted by labels, samples re-encoded into XOR chunks of at most 120 samples
 * (reading through the generic {@code Queryable} keeps this correct whatever the store merges: head, blocks).
 */
public final class RemoteReadHandler {
  static final String STREAMED_CONTENT_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
  private static final long MAX_REQUEST_BYTES = 4L << 20;

  private final Vertx vertx;
  private final Storage storage;

  private RemoteReadHandler(Vertx vertx, Storage storage) {
    this.vertx = vertx;
    this.storage = storage;
  }

  public static RemoteReadHandler create(Vertx vertx, Storage storage) {
    return new RemoteReadHandler(vertx, storage);
  }

  /** The answer: status, content type, whether it is snappy-encoded, and the body. */
  public record ReadResult(int status, String contentType, boolean snappy, Buffer body) {
    static ReadResult error(int status, String message) {
      return new ReadResult(status, WriteResult.CONTENT_TYPE, false, Buffer.buffer(message + "\n"));
    }
  }

  /** Reads the request body and writes the whole answer. */
  public Future<Void> serve(String tenant, HttpServerRequest req) {
    return req.body()
        .compose(b -> handle(tenant, b))
        .compose(r -> {
          var resp = req.response().setStatusCode(r.status()).putHeader("Content-Type", r.contentType());
          if (r.snappy()) {
            resp.putHeader("Content-Encoding", "snappy");
          }
          return resp.end(r.body());
        });
  }

  /** Decodes a snappy-compressed {@code ReadRequest} and reads the tenant's store on a worker. */
  public Future<ReadResult> handle(String tenant, Buffer body) {
    return vertx.executeBlocking(() -> read(tenant, body.getBytes()), false);
  }

  ReadResult read(String tenant, byte[] compressed) {
    ReadRequest req;
    try {
      if (compressed.length > MAX_REQUEST_BYTES || compressed.length == 0
          || Snappy.uncompressedLength(compressed) > 8 * MAX_REQUEST_BYTES) {
        return ReadResult.error(400, "remote read request is empty or too large");
      }
      req = ReadRequest.parseFrom(Snappy.uncompress(compressed));
    } catch (InvalidProtocolBufferException e) {
      return ReadResult.error(400, "protobuf: cannot decode ReadRequest: " + e.getMessage());
    } catch (IOException e) {
      return ReadResult.error(400, "snappy: " + e.getMessage());
    }
    boolean streamed = false;
    for (ReadRequest.ResponseType t : req.getAcceptedResponseTypesList()) {
      if (t == ReadRequest.ResponseType.STREAMED_XOR_CHUNKS || t == ReadRequest.ResponseType.SAMPLES) {
        streamed = t == ReadRequest.ResponseType.STREAMED_XOR_CHUNKS;
        break;
      }
    }
    try {
      return streamed ? streamed(tenant, req) : samples(tenant, req);
    } catch (IllegalArgumentException e) {
      return ReadResult.error(400, e.getMessage());
    } catch (IOException e) {
      return ReadResult.error(500, "cannot encode the response: " + e.getMessage());
    }
  }

  private ReadResult samples(String tenant, ReadRequest req) throws IOException {
    ReadResponse.Builder out = ReadResponse.newBuilder();
    for (Query q : req.getQueriesList()) {
      QueryResult.Builder qr = QueryResult.newBuilder();
      try (Querier querier = storage.queryable(tenant).querier(q.getStartTimestampMs(), q.getEndTimestampMs())) {
        SeriesSet set = querier.select(true, hints(q), matchers(q));
        while (set.next()) {
          Series s = set.at();
          TimeSeries.Builder ts = TimeSeries.newBuilder().addAllLabels(labels(s.labels()));
          SampleIterator it = s.iterator();
          while (it.next() == ValueType.FLOAT) {
            ts.addSamples(Sample.newBuilder().setTimestamp(it.timestamp()).setValue(it.value()));
          }
          qr.addTimeseries(ts);
        }
      }
      out.addResults(qr);
    }
    return new ReadResult(200, "application/x-protobuf", true, Buffer.buffer(Snappy.compress(out.build().toByteArray())));
  }

  private ReadResult streamed(String tenant, ReadRequest req) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int qi = 0; qi < req.getQueriesCount(); qi++) {
      Query q = req.getQueries(qi);
      try (Querier querier = storage.queryable(tenant).querier(q.getStartTimestampMs(), q.getEndTimestampMs())) {
        SeriesSet set = querier.select(true, hints(q), matchers(q));
        while (set.next()) {
          Series s = set.at();
          ChunkedSeries.Builder cs = ChunkedSeries.newBuilder().addAllLabels(labels(s.labels()));
          XorAppender a = null;
          SampleIterator it = s.iterator();
          while (it.next() == ValueType.FLOAT) {
            if (a == null || a.numSamples() == XorChunk.SAMPLES_PER_CHUNK) {
              addChunk(cs, a);
              a = new XorAppender();
            }
            a.append(it.timestamp(), it.value());
          }
          addChunk(cs, a);
          if (cs.getChunksCount() > 0) {
            frame(body, ChunkedReadResponse.newBuilder().addChunkedSeries(cs).setQueryIndex(qi).build().toByteArray());
          }
        }
      }
    }
    return new ReadResult(200, STREAMED_CONTENT_TYPE, false, Buffer.buffer(body.toByteArray()));
  }

  private static void addChunk(ChunkedSeries.Builder cs, XorAppender a) {
    if (a != null && a.numSamples() > 0) {
      cs.addChunks(Chunk.newBuilder().setMinTimeMs(a.minTime()).setMaxTimeMs(a.maxTime())
          .setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(a.toByteArray())));
    }
  }

  /** One stream frame: uvarint size, big-endian CRC32C of the message, the message. */
  static void frame(ByteArrayOutputStream out, byte[] msg) throws IOException {
    CodedOutputStream head = CodedOutputStream.newInstance(out);
    head.writeUInt32NoTag(msg.length);
    head.flush();
    CRC32C crc = new CRC32C();
    crc.update(msg);
    long c = crc.getValue();
    out.write((int) (c >>> 24));
    out.write((int) (c >>> 16));
    out.write((int) (c >>> 8));
    out.write((int) c);
    out.write(msg);
  }

  private static SelectHints hints(Query q) {
    return SelectHints.ofRange(q.getStartTimestampMs(), q.getEndTimestampMs());
  }

  static List<LabelMatcher> matchers(Query q) {
    List<LabelMatcher> out = new ArrayList<>(q.getMatchersCount());
    for (io.promgate.storeapi.prompb.LabelMatcher m : q.getMatchersList()) {
      LabelMatcher.Type type = switch (m.getType()) {
        case EQ -> LabelMatcher.Type.EQ;
        case NEQ -> LabelMatcher.Type.NEQ;
        case RE -> LabelMatcher.Type.RE;
        case NRE -> LabelMatcher.Type.NRE;
        default -> throw new IllegalArgumentException("unknown matcher type " + m.getTypeValue());
      };
      out.add(LabelMatcher.of(type, m.getName(), m.getValue()));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("a remote read query needs at least one matcher");
    }
    return out;
  }

  private static List<Label> labels(Labels l) {
    List<Label> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      out.add(Label.newBuilder().setName(l.name(i)).setValue(l.value(i)).build());
    }
    return out;
  }
}
