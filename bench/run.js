'use strict';
// npm run bench [-- --only name[,name]]: runs the suites, prints each table and rewrites
// their sections of docs/performance.md (other sections are kept).
const { readFileSync, writeFileSync, existsSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { ROOT } = require('./lib/processes');

const SUITES = [require('./suites/pipeline'), require('./suites/agents'), require('./suites/vector'), require('./suites/llm'), require('./suites/stream'), require('./suites/orchestrator'), require('./suites/review'), require('./suites/process')];
const DOC = join(ROOT, 'docs/performance.md');

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0] ? cpus[0].model.trim() : 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function header() {
  return [
    '# Performance',
    '',
    'Every figure below comes from `npm run bench` (or `npm run bench -- --only <suite>`), which builds the app,',
    'runs each suite and rewrites its section of this file. HTTP figures are taken side by side with a bare NestJS',
    'baseline in the same run; targets are marked met or MISSED, and a miss is never hidden.',
    '',
  ].join('\n');
}

function replaceSection(doc, name, body) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from === -1 || to === -1) return `${doc.trimEnd()}\n\n${block}\n`;
  return doc.slice(0, from) + block + doc.slice(to + end.length);
}

async function main() {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg === -1 ? null : new Set(process.argv[onlyArg + 1].split(','));
  const log = (line) => process.stdout.write(`${line}\n`);
  const sections = [];
  let misses = 0;
  for (const suite of SUITES) {
    if (only && !only.has(suite.name)) continue;
    log(`\n== ${suite.title} ==`);
    const started = Date.now();
    const result = await suite.run({ log });
    misses += result.misses;
    const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()} in ${((Date.now() - started) / 1000).toFixed(0)} s.`;
    const section = `## ${suite.title}\n\n${stamp}\n\n${result.markdown}`;
    log(`\n${result.markdown}`);
    sections.push([suite.name, section]);
  }
  // Read at the end: the prose around the sections may have been edited while the suites ran.
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : header();
  for (const [name, section] of sections) doc = replaceSection(doc, name, section);
  writeFileSync(DOC, doc);
  log(`\nwrote ${DOC}${misses ? ` — ${misses} target(s) MISSED` : ''}`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
