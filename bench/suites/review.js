'use strict';
// The review engine on the built app: quality on our labelled set (recall per class and language, precision,
// per-rule confusion) and speed — a typical PR, a 5 MB diff, a 1 MB one-line minified file, and every secret
// rule fed pathological inputs (long runs of the characters it accepts, after its keywords).
require('reflect-metadata');
const { join } = require('node:path');
const { ROOT } = require('../lib/processes');
const { evaluateReview, LANGUAGES } = require('../lib/review-eval');

const dist = (path) => require(join(ROOT, 'dist', path));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function patchOf(lines) {
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

/**
 * A typical pull request: 20 files, 50 added lines each, in the languages and formats teams change. With
 * `queries`, each code file also builds a query from a sanitised number: every hunk then passes the code rules'
 * pre-filters and is parsed and read, the engine's heaviest path.
 */
function typicalPr({ queries = false } = {}) {
  const js = (i) => [
    `import { Router } from 'express';`,
    `const router = Router();`,
    `router.get('/items/${i}', async (req, res) => {`,
    `  const rows = await db.query('SELECT * FROM items WHERE id = $1', [req.params.id]);`,
    `  res.json(rows.map((r) => ({ id: r.id, name: r.name.trim() })));`,
    `});`,
    `export function total(items) { return items.reduce((sum, item) => sum + item.price * item.qty, 0); }`,
  ];
  const py = (i) => [`def handler_${i}(request):`, `    items = Item.objects.filter(owner=request.user)`, `    return JsonResponse({"items": [i.to_dict() for i in items]})`, ``];
  const go = (i) => [`func Handler${i}(w http.ResponseWriter, r *http.Request) {`, `\tid := r.URL.Query().Get("id")`, `\trow := db.QueryRow("SELECT name FROM items WHERE id = $1", id)`, `\t_ = row`, `}`];
  const yaml = (i) => [`service_${i}:`, `  image: ghcr.io/acme/svc:${i}.0.0`, `  replicas: 2`, `  env:`, `    LOG_LEVEL: info`];
  const query = {
    ts: `const sql = 'SELECT name FROM items WHERE id = ' + Number(req.params.id);`,
    py: `cursor.execute("SELECT name FROM items WHERE id = %s" % int(request.args["id"]))`,
    go: `q := "SELECT name FROM items WHERE id = " + strconv.Itoa(n)`,
  };
  const makers = [['src/routes', 'ts', js], ['app/views', 'py', py], ['internal/api', 'go', go], ['deploy', 'yaml', yaml]];
  return Array.from({ length: 20 }, (_, i) => {
    const [dir, ext, make] = makers[i % makers.length];
    const lines = queries && query[ext] ? [query[ext]] : [];
    while (lines.length < 50) lines.push(...make(lines.length));
    return { filename: `${dir}/file${i}.${ext}`, status: 'modified', patch: patchOf(lines.slice(0, 50)) };
  });
}

function inputOf(files) {
  return { event: 'bench', repo: 'acme/bench', pr: { number: 1, title: 'bench', body: 'A change long enough to describe.', draft: false, author: 'dev', additions: 0, deletions: 0, changedFiles: files.length }, files };
}

async function timeReview(engine, files) {
  const started = performance.now();
  const prepared = await engine.prepare(inputOf(files));
  await engine.analyzeAll(['security', 'governance'], prepared);
  return performance.now() - started;
}

/** Inputs built to make a backtracking regex slow: the rule's keywords, then long runs it partly accepts. */
function pathologicalInputs(rule, size) {
  const head = `${rule.keywords.join(' ')} `;
  const fillers = ['a', 'A', '0', 'a_', 'a-', 'a.', '=a', 'a:', 'a@', ' a', '\\n', 'eyJ', 'aaaa\n  '];
  return fillers.map((f) => head + f.repeat(Math.ceil(size / f.length)));
}

async function run({ log }) {
  const { SecretScanner } = dist('review/secrets/secret-scanner.js');
  const { loadSecretRules } = dist('review/secrets/secret-rules.js');
  const { CodeScanner } = dist('review/code/code-scanner.js');
  const { ReviewEngine } = dist('review/review-engine.js');
  const rulesLoaded = await loadSecretRules();
  const secrets = new SecretScanner(rulesLoaded);
  const code = new CodeScanner();

  log('  quality on the labelled set…');
  const started = performance.now();
  const q = await evaluateReview({ scanSecrets: (f) => secrets.scan(f), scanCode: (f) => code.scan(f) });
  const evalMs = performance.now() - started;

  log('  a typical PR (20 files, 1,000 added lines)…');
  const engine = ReviewEngine.standalone();
  const pr = typicalPr();
  for (let i = 0; i < 5; i++) await timeReview(engine, pr);
  const times = [];
  for (let i = 0; i < 60; i++) times.push(await timeReview(engine, pr));
  times.sort((a, b) => a - b);
  // The bare baseline in the same run: only reading the added lines of the same diff.
  const { addedLines } = dist('review/diff/added-lines.js');
  const bare = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    for (const f of pr) addedLines(f);
    bare.push(performance.now() - t);
  }
  bare.sort((a, b) => a - b);

  log('  a 5 MB diff, as many small files and as a hundred large ones…');
  const fiveMb = (options) => {
    const files = [];
    for (let i = 0; files.reduce((n, f) => n + f.patch.length, 0) < 5 * 1024 * 1024; i++) files.push(...typicalPr(options).map((f) => ({ ...f, filename: `${i}/${f.filename}` })));
    return files;
  };
  const big = fiveMb();
  const bigMb = big.reduce((n, f) => n + f.patch.length, 0) / 1024 / 1024;
  const bigMs = await timeReview(engine, big);
  const parsed = fiveMb({ queries: true });
  const parsedMb = parsed.reduce((n, f) => n + f.patch.length, 0) / 1024 / 1024;
  const parsedMs = await timeReview(engine, parsed);
  // The same 5 MB as 100 files of ~50 KB: a large refactor rather than a vendored tree.
  const byExt = new Map();
  for (const f of big) {
    const ext = f.filename.split('.').pop();
    if (!byExt.has(ext)) byExt.set(ext, []);
    byExt.get(ext).push(...f.patch.split('\n').slice(1).map((l) => l.slice(1)));
  }
  const exts = [...byExt.keys()];
  const wide = Array.from({ length: 100 }, (_, i) => {
    const ext = exts[i % exts.length];
    const lines = byExt.get(ext);
    const per = Math.ceil(lines.length / Math.ceil(100 / exts.length));
    const k = Math.floor(i / exts.length);
    return { filename: `large/file${i}.${ext}`, status: 'modified', patch: patchOf(lines.slice(k * per, (k + 1) * per)) };
  });
  const wideMb = wide.reduce((n, f) => n + f.patch.length, 0) / 1024 / 1024;
  const wideMs = await timeReview(engine, wide);

  log('  a 1 MB single-line minified file…');
  const unit = 'function a(b,c){return b.token=c.secret||"x",fetch(b.url).then(function(d){return d.json()})}var e={apiKey:n,password:p};';
  const minified = [{ filename: 'public/vendor.min.js', status: 'added', patch: patchOf([unit.repeat(Math.ceil((1024 * 1024) / unit.length))]) }];
  const minMs = await timeReview(engine, minified);

  log('  every secret rule on pathological inputs (256 KB each)…');
  let worst = { ms: 0, rule: '' };
  for (const rule of rulesLoaded.rules.filter((r) => r.regex)) {
    const only = new SecretScanner({ rules: [rule], allow: [] });
    for (const text of pathologicalInputs(rule, 256 * 1024)) {
      const t = performance.now();
      await only.scan([{ filename: 'p.txt', patch: patchOf(text.split('\n')) }]);
      const ms = performance.now() - t;
      if (ms > worst.ms) worst = { ms, rule: rule.id };
    }
  }

  const f = (n, d = 2) => n.toFixed(d);
  const pct = (n) => `${(n * 100).toFixed(1)}%`;
  const langRows = Object.entries(q.code.byLanguage).map(([k, v]) => `| code: ${LANGUAGES[k]} | ${v.cases} | ${v.found} | ${pct(v.recall)} | ≥ 90% |`);
  const classRows = Object.entries(q.code.byClass).map(([k, v]) => `| ${k} | ${v.cases} | ${v.found} | ${pct(v.recall)} |`);
  const missedFormats = q.secrets.formats.filter((r) => r.found < r.cases);
  const targets = [
    ['secrets recall ≥ 95%', q.secrets.recall >= 0.95],
    ...Object.entries(q.code.byLanguage).map(([k, v]) => [`${LANGUAGES[k]} recall ≥ 90%`, v.recall >= 0.9]),
    ['precision ≥ 95%', q.precision.precision >= 0.95],
    ['typical PR p50 < 50 ms', percentile(times, 50) < 50],
    ['5 MB diff < 2 s (both shapes)', bigMs < 2000 && wideMs < 2000],
    ['1 MB minified line < 1 s', minMs < 1000],
    ['worst rule on a pathological 256 KB input < 1 s', worst.ms < 1000],
  ];
  const lines = [
    `Labelled set: ${q.counts.secretPositives} secret positives over ${q.counts.secretFormats} formats, ${q.counts.codePositives} code-risk positives, ${q.counts.traps} clean traps (scored in ${f(evalMs, 0)} ms).`,
    '',
    '| class | cases | found | recall | target |',
    '| --- | --- | --- | --- | --- |',
    `| secrets | ${q.secrets.cases} | ${q.secrets.found} | ${pct(q.secrets.recall)} | ≥ 95% |`,
    ...langRows,
    '',
    `Precision: ${q.precision.correct} of ${q.precision.flags} flags right (${pct(q.precision.precision)}; target ≥ 95%).` +
      (missedFormats.length ? ` Formats with a miss: ${missedFormats.map((r) => `${r.format} ${r.found}/${r.cases}`).join(', ')}.` : ' Every secret format found in every setting.'),
    '',
    '| code class | cases | found | recall |',
    '| --- | --- | --- | --- |',
    ...classRows,
    '',
    ...(q.missed.length ? ['Missed:', '', ...q.missed.map((m) => `- ${m}`), ''] : []),
    ...(q.falseAlarms.length ? ['False alarms:', '', ...q.falseAlarms.map((m) => `- ${m}`), ''] : []),
    '<details><summary>Per-rule confusion (flags right / wrong)</summary>',
    '',
    '| rule | right | wrong |',
    '| --- | --- | --- |',
    ...q.rules.map((r) => `| ${r.rule} | ${r.correct} | ${r.wrong} |`),
    '',
    '</details>',
    '',
    '| speed | measured | bare baseline (reading the added lines) | target |',
    '| --- | --- | --- | --- |',
    `| typical PR (20 files, 1,000 added lines): prepare + security + governance | p50 ${f(percentile(times, 50))} ms, p99 ${f(percentile(times, 99))} ms | p50 ${f(percentile(bare, 50), 3)} ms | p50 < 50 ms |`,
    `| ${f(bigMb, 1)} MB diff as ${big.length} small files | ${f(bigMs, 0)} ms | | < 2 s |`,
    `| ${f(parsedMb, 1)} MB diff as ${parsed.length} small files, every code hunk parsed | ${f(parsedMs, 0)} ms | | worst case, not a target |`,
    `| ${f(wideMb, 1)} MB diff as ${wide.length} large files | ${f(wideMs, 0)} ms | | < 2 s |`,
    `| 1 MB single-line minified file | ${f(minMs, 0)} ms | | < 1 s |`,
    `| worst secret rule on 13 pathological 256 KB inputs each | ${f(worst.ms, 0)} ms (${worst.rule}) | | < 1 s |`,
    '',
    `Targets: ${targets.map(([name, ok]) => `${name}: ${ok ? 'met' : 'MISSED'}`).join('; ')}.`,
  ];
  return { markdown: lines.join('\n'), misses: targets.filter(([, ok]) => !ok).length };
}

module.exports = { name: 'review', title: 'Review engine: quality and speed', run };
