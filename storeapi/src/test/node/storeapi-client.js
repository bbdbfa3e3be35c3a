// A foreign StoreAPI client: loads promgate's own .proto files with @grpc/proto-loader, calls Info,
// LabelValues and Series with @grpc/grpc-js, decodes the raw XOR chunks with its own decoder, and prints a
// JSON summary on stdout for the Java integration test to check.
//
// usage: node storeapi-client.js <host:port> <proto-root> <tenant> <metric-name>
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, protoRoot, tenant, metric] = process.argv.slice(2);

const definition = protoLoader.loadSync(
  ['thanos/store/storepb/rpc.proto', 'thanos/info/infopb/rpc.proto'],
  { includeDirs: [protoRoot], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const pkg = grpc.loadPackageDefinition(definition);
const creds = grpc.credentials.createInsecure();
const store = new pkg.thanos.Store(address, creds);
const info = new pkg.thanos.info.Info(address, creds);

function metadata() {
  const md = new grpc.Metadata();
  md.set('thanos-tenant', tenant);
  return md;
}

// --- XOR chunk decoding (Prometheus chunkenc), written from the format description ---------------------
class BitReader {
  constructor(buf) { this.buf = buf; this.pos = 0; } // pos in bits
  bit() {
    const byte = this.buf[this.pos >> 3];
    if (byte === undefined) throw new Error('chunk truncated');
    const b = (byte >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }
  bits(n) { // BigInt of n bits, most significant first
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 1n) | BigInt(this.bit());
    return v;
  }
  uvarint() {
    let x = 0n, s = 0n;
    for (;;) {
      const b = this.bits(8);
      x |= (b & 0x7fn) << s;
      if (b < 0x80n) return x;
      s += 7n;
    }
  }
  varint() { // zig-zag
    const ux = this.uvarint();
    return (ux & 1n) ? -((ux >> 1n) + 1n) : (ux >> 1n);
  }
}

const f64 = new DataView(new ArrayBuffer(8));
function bitsToFloat(b) { f64.setBigUint64(0, BigInt.asUintN(64, b)); return f64.getFloat64(0); }

function decodeXor(buf) {
  const n = buf.readUInt16BE(0);
  const r = new BitReader(buf.subarray(2));
  const out = [];
  let t = 0n, delta = 0n, vbits = 0n, leading = 0n, trailing = 0n;
  for (let i = 0; i < n; i++) {
    if (i === 0) {
      t = r.varint();
      vbits = r.bits(64);
    } else {
      if (i === 1) {
        delta = r.uvarint();
      } else {
        let prefix = 0;
        while (prefix < 4 && r.bit() === 1) prefix++;
        const size = [0, 14, 17, 20, 64][prefix];
        let dod = 0n;
        if (size > 0) {
          dod = r.bits(size);
          if (size === 64) dod = BigInt.asIntN(64, dod);
          else if (dod > (1n << BigInt(size - 1))) dod -= 1n << BigInt(size);
        }
        delta += dod;
      }
      t += delta;
      if (r.bit() === 1) { // value changed
        if (r.bit() === 1) { // new leading/trailing window
          leading = r.bits(5);
          let sig = r.bits(6);
          if (sig === 0n) sig = 64n;
          trailing = 64n - leading - sig;
        }
        const sig = 64n - leading - trailing;
        vbits ^= r.bits(Number(sig)) << trailing;
      }
    }
    out.push([t, bitsToFloat(vbits)]);
  }
  return out;
}

// --- calls ------------------------------------------------------------------------------------------------
function unary(client, method, req) {
  return new Promise((resolve, reject) =>
    client[method](req, metadata(), { deadline: Date.now() + 20000 }, (err, res) => err ? reject(err) : resolve(res)));
}

function series(req) {
  return new Promise((resolve, reject) => {
    const got = [];
    const warnings = [];
    const call = store.Series(req, metadata(), { deadline: Date.now() + 20000 });
    call.on('data', (r) => {
      if (r.series) got.push(r.series);
      else if (r.batch) got.push(...r.batch.series);
      else if (r.warning) warnings.push(r.warning);
    });
    call.on('error', reject);
    call.on('end', () => resolve({ got, warnings }));
  });
}

function labelsToString(ls) {
  return '{' + ls.map((l) => `${l.name}="${l.value}"`).join(', ') + '}';
}

(async () => {
  const inf = await unary(info, 'Info', {});
  const values = await unary(store, 'LabelValues',
    { label: 'instance', start: '0', end: '9223372036854775807', matchers: [] });
  const { got, warnings } = await series({
    min_time: '0', max_time: '9223372036854775807',
    matchers: [{ type: 'EQ', name: '__name__', value: metric }],
  });
  let samples = 0, sum = 0, unsorted = 0, lastTs = null;
  const names = [];
  for (const s of got) {
    names.push(labelsToString(s.labels));
    lastTs = null;
    for (const c of s.chunks) {
      if (c.raw.type !== 'XOR') throw new Error('unexpected chunk type ' + c.raw.type);
      for (const [t, v] of decodeXor(Buffer.from(c.raw.data))) {
        if (lastTs !== null && t <= lastTs) unsorted++;
        if (t < BigInt(c.min_time) || t > BigInt(c.max_time)) throw new Error('sample outside chunk bounds');
        lastTs = t;
        samples++;
        sum += v;
      }
    }
  }
  console.log(JSON.stringify({
    infoLabelSets: inf.label_sets.map((ls) => labelsToString(ls.labels)),
    infoMinTime: inf.store.min_time,
    infoMaxTime: inf.store.max_time,
    labelValues: values.values,
    series: got.length,
    seriesLabels: names,
    samples,
    sum,
    unsortedSamples: unsorted,
    warnings,
  }));
  process.exit(0);
})().catch((e) => {
  console.error('storeapi-client failed:', e && e.stack || e);
  process.exit(2);
});
