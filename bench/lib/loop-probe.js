'use strict';
// Preloaded (--require) into a benchmarked server: the same event-loop delay histogram in BSM
// and in the bare baseline, read over the IPC channel so no route of either app changes.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { readFileSync } = require('node:fs');

const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
// The histogram records whole sampling intervals: the delay is what exceeds the interval.
const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

function rssMb() {
  // VmRSS as the kernel counts it, the figure a container limit is held against.
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
  return Math.round(kb / 102.4) / 10;
}

process.on('message', (message) => {
  if (message === 'probe:reset') {
    histogram.reset();
    process.send({ reset: true });
  } else if (message === 'probe:read') {
    process.send({
      loop: { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) },
      rssMb: rssMb(),
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 104857.6) / 10,
    });
  }
});
