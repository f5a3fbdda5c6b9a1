'use strict';
// Where a request's CPU goes, layer by layer: each sample of a V8 CPU profile (node --cpu-prof)
// is charged to the innermost frame that belongs to a known layer of the pipeline; the sum per
// layer divided by the requests served during the profile gives µs per request.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

// First match wins for a frame; frames are tried from the leaf outwards. Node's own frames
// (sockets, streams) belong to whichever layer called them.
const LAYERS = [
  ['request log', /infra\/logging|node_modules\/(pino|sonic-boom|nestjs-pino)\//],
  ['HTTP metrics', /infra\/metrics|node_modules\/prom-client\//],
  ['correlation id + scope', /common\/correlation/],
  ['security headers', /common\/http\/security-headers|node_modules\/helmet\//],
  ['CORS', /node_modules\/cors\/|dist\/app\.factory\.js/],
  ['JSON body parser', /node_modules\/(body-parser|raw-body|iconv-lite|type-is|content-type|media-typer|mime-types|mime-db)\//],
  ['policy guard', /common\/guards|guards-consumer|guards-context/],
  ['validation pipe', /node_modules\/(class-validator|class-transformer)\/|validation\.pipe|common\/http\/validation|pipes-consumer/],
  ['exceptions (construction, stack capture)', /common\/errors\/domain\.exception|gpt\/upstream-errors/],
  ['chat service, model router, breaker', /dist\/gpt\/|infra\/resilience|node_modules\/opossum\//],
  ['exception filter (error envelope)', /global-exception\.filter|exceptions-handler|base-exception-filter/],
  ['response write (res.json, headers, socket)', /node_modules\/express\/lib\/response|_http_outgoing|node_modules\/on-finished\//],
  ['Express + Nest routing', /node_modules\/(router|express|path-to-regexp|@nestjs\/core|@nestjs\/platform-express)\//],
  ['HTTP parsing (node)', /_http_server|_http_common|_http_incoming/],
];

function largestProfile(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

/**
 * µs per request for each layer, largest first, from the profile written into `dir`, counting
 * only the samples taken between `from` and `to` (process.hrtime.bigint() readings: V8's profile
 * clock is the same monotonic clock), so the process's boot is left out.
 */
function layerCosts(dir, requests, { from, to }) {
  const profile = JSON.parse(readFileSync(largestProfile(dir), 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const [fromUs, toUs] = [Number(from / 1000n), Number(to / 1000n)];
  const selfTime = new Map();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= fromUs && at <= toUs) selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  });

  const layerOf = (id) => {
    const leaf = nodes.get(id).callFrame.functionName;
    if (leaf === '(garbage collector)') return 'garbage collection';
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const { url } = nodes.get(at).callFrame;
      if (!url) continue;
      const layer = LAYERS.find(([, pattern]) => pattern.test(url));
      if (layer) return layer[0];
    }
    return 'other (Node internals, timers)';
  };
  const costs = new Map();
  let busy = 0;
  for (const [id, micros] of selfTime) {
    if (nodes.get(id).callFrame.functionName === '(idle)') continue;
    busy += micros;
    const layer = layerOf(id);
    costs.set(layer, (costs.get(layer) ?? 0) + micros);
  }
  return {
    perRequest: busy / requests,
    layers: [...costs].map(([layer, micros]) => ({ layer, perRequest: micros / requests })).sort((a, b) => b.perRequest - a.perRequest),
  };
}

module.exports = { layerCosts };
