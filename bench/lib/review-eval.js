'use strict';
// Scores the review engine on the labelled set under test/fixtures/review/: recall of secrets (per format) and
// of risky code (per class and language), precision of every flag raised, a per-rule confusion table and
// timing. Used by `npm run bench -- --only review` (on the built app) and by the test that holds the targets
// (on the sources), so both read the same numbers.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const YAML = require('yaml');

const ROOT = join(__dirname, '..', '..');
const SET = join(ROOT, 'test', 'fixtures', 'review');
const LANGUAGES = { javascript: 'JavaScript/TypeScript', python: 'Python', go: 'Go' };

function read(path) {
  return YAML.parse(readFileSync(join(SET, path), 'utf8'));
}

/** The labelled set: every case becomes one changed file whose lines are all added. */
function loadSet() {
  const asFile = (c) => {
    if (c.binary) return { filename: c.file, status: 'added' };
    const lines = (c.text ?? c.code).replace(/\n$/, '').split('\n');
    return { filename: c.file, status: 'added', patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}` };
  };
  const secretPositives = read('secrets/positives.yaml').map((c) => ({ ...c, changed: asFile(c) }));
  const secretTraps = read('secrets/traps.yaml').map((c) => ({ ...c, changed: asFile(c) }));
  const code = Object.keys(LANGUAGES).flatMap((language) =>
    read(`code/${language}.yaml`).map((c) => ({
      ...c,
      language,
      changed: asFile(c),
      line: c.at === undefined ? undefined : c.code.split('\n').findIndex((l) => l.includes(c.at)) + 1,
    })),
  );
  return { secretPositives, secretTraps, codePositives: code.filter((c) => !c.safe), codeTraps: code.filter((c) => c.safe) };
}

const ratio = (a, b) => (b === 0 ? 1 : a / b);

/**
 * engine: { scanSecrets(files) → Promise<{ hits }>, scanCode(files) → Promise<{ findings (with riskClass) }> }.
 * Returns the scores and the cases behind each miss and false alarm.
 */
async function evaluateReview(engine) {
  const set = loadSet();
  const rules = new Map();
  const count = (rule, key) => {
    const row = rules.get(rule) ?? { rule, correct: 0, wrong: 0 };
    row[key]++;
    rules.set(rule, row);
  };
  const falseAlarms = [];
  const missed = [];
  let flags = 0;
  let correct = 0;
  const mark = (rule, ok, where) => {
    flags++;
    if (ok) correct++;
    else falseAlarms.push(`${where}: ${rule}`);
    count(rule, ok ? 'correct' : 'wrong');
  };

  const secretFormats = new Map();
  let secretsFound = 0;
  for (const c of set.secretPositives) {
    const { hits } = await engine.scanSecrets([c.changed]);
    const overlaps = (h, secret) => h.value.length >= 8 && (h.value.includes(secret) || secret.includes(h.value));
    const covers = (h) => (c.binary ? h.file === c.file : overlaps(h, c.secret));
    const found = hits.some(covers);
    for (const h of hits) mark(h.rule, covers(h) || (c.also ?? []).some((s) => overlaps(h, s)), `secret ${c.format} in ${c.file}`);
    if (found) secretsFound++;
    else missed.push(`secret ${c.format} in ${c.file}`);
    const row = secretFormats.get(c.format) ?? { format: c.format, cases: 0, found: 0 };
    row.cases++;
    if (found) row.found++;
    secretFormats.set(c.format, row);
  }
  for (const c of [...set.secretTraps, ...set.codeTraps]) {
    const { hits } = await engine.scanSecrets([c.changed]);
    for (const h of hits) mark(h.rule, false, `trap "${c.name}"`);
    for (const f of (await engine.scanCode([c.changed])).findings) mark(f.rule, false, `trap "${c.name}" line ${f.line}`);
  }
  const byLanguage = {};
  const byClass = {};
  for (const c of set.codePositives) {
    const { findings } = await engine.scanCode([c.changed]);
    const found = findings.some((f) => f.riskClass === c.class && f.line === c.line);
    for (const f of findings) if (f.riskClass !== c.class) mark(f.rule, false, `${c.language} "${c.name}" line ${f.line}`);
    for (const f of findings) if (f.riskClass === c.class && f.line === c.line) mark(f.rule, true, '');
    if (!found) missed.push(`${c.language} ${c.class}: "${c.name}"`);
    for (const [table, key] of [
      [byLanguage, c.language],
      [byClass, c.class],
    ]) {
      table[key] ??= { cases: 0, found: 0 };
      table[key].cases++;
      if (found) table[key].found++;
    }
  }
  const secretRecall = ratio(secretsFound, set.secretPositives.length);
  return {
    counts: {
      secretPositives: set.secretPositives.length,
      secretFormats: secretFormats.size,
      codePositives: set.codePositives.length,
      traps: set.secretTraps.length + set.codeTraps.length,
    },
    secrets: { cases: set.secretPositives.length, found: secretsFound, recall: secretRecall, formats: [...secretFormats.values()] },
    code: {
      byLanguage: Object.fromEntries(Object.entries(byLanguage).map(([k, v]) => [k, { ...v, recall: ratio(v.found, v.cases) }])),
      byClass: Object.fromEntries(Object.entries(byClass).map(([k, v]) => [k, { ...v, recall: ratio(v.found, v.cases) }])),
    },
    precision: { flags, correct, precision: ratio(correct, flags) },
    rules: [...rules.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    missed,
    falseAlarms,
  };
}

module.exports = { evaluateReview, loadSet, LANGUAGES };
