import type { SgNode } from '@ast-grep/napi';
import { callRule, JS, literalSecretRule, looksLikeSql, namesAround, SECRET_NAME, type CodeRule } from '../code-rule';
import { SQL_WORDS, sqlBuiltWith, worst, type CodeContext } from '../syntax';

const CHILD_PROCESS = '(?:(?:child_process|childProcess|cp|proc)\\.)?';

/** The constant text and the non-constant parts of a string built with `+` or a template. */
function parts(node: SgNode, context: CodeContext): { text: string; dynamic: SgNode[] } {
  const kind = node.kind();
  if (kind === 'binary_expression' && node.field('operator')?.text() === '+') {
    const left = parts(node.field('left')!, context);
    const right = parts(node.field('right')!, context);
    return { text: left.text + right.text, dynamic: [...left.dynamic, ...right.dynamic] };
  }
  if (kind === 'parenthesized_expression') return parts(node.namedChildren()[0], context);
  if (kind === 'string') return { text: node.text().slice(1, -1), dynamic: [] };
  if (kind === 'template_string') {
    return {
      text: node.namedChildren().filter((c) => c.kind() === 'string_fragment').map((c) => c.text()).join(' '),
      dynamic: node.namedChildren().filter((c) => c.kind() === 'template_substitution').map((c) => c.namedChildren()[0]),
    };
  }
  return { text: '', dynamic: [node] };
}

function isConstruction(node: SgNode): boolean {
  const kind = node.kind();
  if (kind === 'template_string') return node.parent()?.kind() !== 'call_expression' && node.namedChildren().some((c) => c.kind() === 'template_substitution');
  if (kind !== 'binary_expression' || node.field('operator')?.text() !== '+') return false;
  const parent = node.parent();
  const outer = parent?.kind() === 'binary_expression' && parent.field('operator')?.text() === '+';
  return !outer;
}

/** Strings that read as a command line: a word, then a space (`ping -c 1 ${host}`, 'git checkout ' + b). */
function commandLike(node: SgNode | undefined, context: CodeContext): boolean {
  return !!node && isConstruction(node) && /^\s*[\w./-]+\s/.test(parts(node, context).text);
}

const sqlConstruction: CodeRule = {
  id: 'sql-injection/js-string-built',
  riskClass: 'sql-injection',
  languages: JS,
  // A literal beside `+` (through parentheses), a template substitution, or `+=` onto a query begun earlier.
  keywords: sqlBuiltWith(/['"`]\s*\)*\s*\+|\+\s*\(*\s*['"`]|\$\{|\+=/),
  message: 'SQL built from strings with non-constant parts',
  fix: 'Pass values as query parameters ($1, ?) or use the query builder; never splice them into the SQL text',
  *find(context) {
    for (const node of [...context.all('binary_expression'), ...context.all('template_string')]) {
      // The SQL words are in the node's own text or it is not SQL: most `+` in a file is arithmetic.
      if (!SQL_WORDS.test(node.text()) || !isConstruction(node)) continue;
      const { text, dynamic } = parts(node, context);
      if (dynamic.length > 0 && looksLikeSql(text)) yield { node, taint: worst(dynamic.map((d) => context.taintOf(d))) };
    }
    for (const node of context.all('augmented_assignment_expression')) {
      const target = node.field('left');
      if (target?.kind() !== 'identifier' || !node.children().some((c) => c.text() === '+=')) continue;
      if (!context.assignmentsOf(target.text()).some((v) => looksLikeSql(parts(v, context).text))) continue;
      yield { node, taint: context.taintOf(node.field('right')) };
    }
  },
};

function* assignmentsTo(context: CodeContext, property: RegExp): Iterable<{ node: SgNode; value: SgNode }> {
  const assignments = context.memo('js-assignments', () =>
    context.all('assignment_expression').flatMap((node) => {
      const left = node.field('left');
      const value = node.field('right');
      return left && value ? [{ node, value, target: left.text().replace(/\s+/g, '') }] : [];
    }),
  );
  for (const { node, value, target } of assignments) if (property.test(target)) yield { node, value };
}

function withHtml(context: CodeContext, node: SgNode | undefined): boolean {
  return !!node && /</.test(parts(node, context).text);
}

const xssProperty: CodeRule = {
  id: 'xss/js-html-property',
  riskClass: 'xss',
  languages: JS,
  keywords: /innerHTML|outerHTML/,
  message: 'HTML set from a non-constant value (innerHTML / outerHTML)',
  fix: 'Set textContent, or sanitise the HTML (DOMPurify) before inserting it',
  *find(context) {
    for (const { node, value } of assignmentsTo(context, /\.(?:innerHTML|outerHTML)$/)) yield { node, taint: context.taintOf(value) };
  },
};

const dangerouslySetInnerHTML: CodeRule = {
  id: 'xss/react-dangerously-set-inner-html',
  riskClass: 'xss',
  languages: JS,
  keywords: /dangerouslySetInnerHTML/,
  message: 'dangerouslySetInnerHTML with a non-constant value',
  fix: 'Render the value as text, or sanitise it (DOMPurify) before passing it as __html',
  *find(context) {
    for (const attr of context.all('jsx_attribute')) {
      if (attr.child(0)?.text() !== 'dangerouslySetInnerHTML') continue;
      const html = context.find(attr, 'pair').find((p) => p.field('key')?.text() === '__html');
      if (html) yield { node: attr, taint: context.taintOf(html.field('value')) };
    }
  },
};

const redirectAssignment: CodeRule = {
  id: 'open-redirect/js-location',
  riskClass: 'open-redirect',
  languages: JS,
  keywords: /location/,
  requestOnly: true,
  message: 'Browser sent to a URL taken from the request',
  fix: 'Redirect only to relative paths or to an allow list of hosts',
  *find(context) {
    for (const { node, value } of assignmentsTo(context, /^(?:window\.|document\.)?location(?:\.href)?$/)) yield { node, taint: context.taintOf(value) };
  },
};

const tlsOption: CodeRule = {
  id: 'tls-verification-disabled/js-option',
  riskClass: 'tls-verification-disabled',
  languages: JS,
  keywords: /rejectUnauthorized|strictSSL|NODE_TLS_REJECT_UNAUTHORIZED/,
  severity: 'high',
  message: 'TLS certificate verification turned off',
  fix: 'Keep verification on; trust a private CA with the `ca` option or NODE_EXTRA_CA_CERTS instead',
  *find(context) {
    for (const pair of context.all('pair')) {
      if (/^['"]?(?:rejectUnauthorized|strictSSL)['"]?$/.test(pair.field('key')?.text() ?? '') && pair.field('value')?.text() === 'false') {
        yield { node: pair, taint: 'constant' };
      }
    }
    for (const { node, value } of assignmentsTo(context, /^process\.env(?:\.NODE_TLS_REJECT_UNAUTHORIZED|\[['"`]NODE_TLS_REJECT_UNAUTHORIZED['"`]\])$/)) {
      if (/^['"`]?0['"`]?$/.test(value.text())) yield { node, taint: 'constant' };
    }
  },
};

const weakHash: CodeRule = {
  id: 'weak-crypto/js-hash-of-secret',
  riskClass: 'weak-crypto',
  languages: JS,
  keywords: /createHash/,
  severity: 'medium',
  message: 'MD5 or SHA-1 used on a password or secret',
  fix: 'Hash passwords with a slow KDF (argon2, scrypt, bcrypt); use SHA-256 or HMAC for other secrets',
  *find(context) {
    for (const call of context.calls()) {
      if (!/\.update$/.test(call.callee) || !SECRET_NAME.test(call.args[0]?.text() ?? '')) continue;
      const hash = context.find(call.node, 'call_expression').find((c) => /createHash\(\s*['"`](?:md5|sha1)['"`]\s*\)$/i.test(c.text().replace(/\s+/g, '')));
      if (hash) yield { node: hash.field('function')?.field('property') ?? hash, taint: 'constant' };
    }
  },
};

const insecureRandom = callRule({
  id: 'weak-crypto/js-math-random-secret',
  riskClass: 'weak-crypto',
  languages: JS,
  severity: 'medium',
  callee: /^Math\.random$/,
  when: (call) =>
    SECRET_NAME.test(
      namesAround(call.node, { variable_declarator: 'name', assignment_expression: 'left', pair: 'key', function_declaration: 'name', method_definition: 'name' }),
    ),
  arg: (call) => call.node,
  message: 'Math.random() used for a token, key or id that must not be guessed',
  fix: 'Use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues',
});

function hasShellOption(call: { kwargs: Map<string, SgNode> }): boolean {
  return call.kwargs.get('shell')?.text() === 'true';
}

export const JAVASCRIPT_RULES: readonly CodeRule[] = [
  callRule({
    id: 'command-injection/js-exec',
    riskClass: 'command-injection',
    languages: JS,
    callee: new RegExp(`^${CHILD_PROCESS}(?:exec|execSync)$`),
    message: 'Shell command built from non-constant input (exec)',
    fix: 'Use execFile/spawn with an argument array and no shell, and validate the input',
  }),
  callRule({
    id: 'command-injection/js-exec-method',
    riskClass: 'command-injection',
    languages: JS,
    callee: /^(?:this|shell|[\w.]+)\.exec(?:Sync)?$/,
    when: (call, context) => !new RegExp(`^${CHILD_PROCESS}(?:exec|execSync)$`).test(call.callee) && commandLike(call.args[0], context),
    message: 'Shell command line built from non-constant input',
    fix: 'Pass the program and its arguments separately (execFile/spawn with an array), never one interpolated string',
  }),
  callRule({
    id: 'command-injection/js-spawn',
    riskClass: 'command-injection',
    languages: JS,
    callee: new RegExp(`^${CHILD_PROCESS}(?:spawn|spawnSync|execFile|execFileSync|fork)$`),
    arg: (call, context) => (hasShellOption(call) ? call.args.filter((a) => a.kind() !== 'object') : context.taintOf(call.args[0]) !== 'constant' ? call.args[0] : undefined),
    message: 'Process started with a non-constant command, or through a shell with non-constant arguments',
    fix: 'Start a fixed program with an argument array and without `shell: true`',
  }),
  callRule({
    id: 'code-injection/js-eval',
    riskClass: 'code-injection',
    languages: JS,
    callee: /^(?:eval|window\.eval|globalThis\.eval)$/,
    message: 'eval of a non-constant string',
    fix: 'Parse the data (JSON.parse) or map names to functions; never evaluate strings',
  }),
  callRule({
    id: 'code-injection/js-function-constructor',
    riskClass: 'code-injection',
    languages: JS,
    callee: /^Function$/,
    arg: (call) => call.args,
    message: 'new Function built from non-constant code',
    fix: 'Write the function in the source; pass data as arguments, not as code',
  }),
  callRule({
    id: 'code-injection/js-vm',
    riskClass: 'code-injection',
    languages: JS,
    callee: /^vm\.(?:runInNewContext|runInThisContext|runInContext|compileFunction|Script)$/,
    message: 'Non-constant code run in a vm context (the vm module is not a sandbox)',
    fix: 'Do not run code from users; if you must, use an isolated process with no privileges',
  }),
  callRule({
    id: 'code-injection/js-string-timer',
    riskClass: 'code-injection',
    languages: JS,
    callee: /^(?:window\.)?(?:setTimeout|setInterval|setImmediate)$/,
    when: (call) => !!call.args[0] && ['string', 'template_string', 'binary_expression'].includes(call.args[0].kind() as string),
    message: 'Timer given a string of code built from non-constant parts',
    fix: 'Pass a function to the timer, not a string',
  }),
  sqlConstruction,
  xssProperty,
  dangerouslySetInnerHTML,
  callRule({
    id: 'xss/js-insert-adjacent-html',
    riskClass: 'xss',
    languages: JS,
    callee: /\.insertAdjacentHTML$/,
    arg: (call) => call.args[1],
    message: 'insertAdjacentHTML with a non-constant value',
    fix: 'Insert text nodes (insertAdjacentText) or sanitise the HTML first',
  }),
  callRule({
    id: 'xss/js-document-write',
    riskClass: 'xss',
    languages: JS,
    callee: /^(?:window\.)?document\.(?:write|writeln)$/,
    message: 'document.write of a non-constant value',
    fix: 'Build DOM nodes and set textContent instead of writing HTML',
  }),
  callRule({
    id: 'xss/js-reflected-html',
    riskClass: 'xss',
    languages: JS,
    requestOnly: true,
    callee: /^(?:res|response|reply|ctx)\.(?:send|write|end)$/,
    when: (call, context) => withHtml(context, call.args[0]),
    message: 'HTML response built from request data',
    fix: 'Render through a template engine that escapes, or escape the value (he.encode)',
  }),
  callRule({
    id: 'path-traversal/js-fs',
    riskClass: 'path-traversal',
    languages: JS,
    requestOnly: true,
    callee:
      /^(?:(?:fs|fsp|fs\.promises|fse)\.)?(?:readFile|readFileSync|createReadStream|createWriteStream|writeFile|writeFileSync|appendFile|appendFileSync|unlink|unlinkSync|rm|rmSync|rmdir|readdir|readdirSync|open|openSync|copyFile|rename|stat|access)$/,
    when: (call) => /^(?:fs|fsp|fs\.promises|fse)\.|^(?:readFile|readFileSync|writeFile|writeFileSync|createReadStream|createWriteStream|unlink|unlinkSync|appendFileSync|readdirSync)$/.test(call.callee),
    message: 'File path taken from the request',
    fix: 'Resolve the path under a fixed root and check it stays there (path.resolve + startsWith), or map ids to files',
  }),
  callRule({
    id: 'path-traversal/js-send-file',
    riskClass: 'path-traversal',
    languages: JS,
    requestOnly: true,
    callee: /^(?:res|response|reply)\.(?:sendFile|download|attachment|sendfile)$/,
    when: (call) => !call.kwargs.has('root'),
    message: 'File sent from a path taken from the request',
    fix: 'Pass a `root` option and a base name, or look the file up by id',
  }),
  callRule({
    id: 'insecure-deserialization/js-node-serialize',
    riskClass: 'insecure-deserialization',
    languages: JS,
    callee: /^(?:[\w.]+\.)?unserialize$/,
    message: 'node-serialize unserialize of non-constant data (runs functions inside it)',
    fix: 'Use JSON.parse and validate the shape; never node-serialize on data you did not write',
  }),
  callRule({
    id: 'insecure-deserialization/js-yaml-full-schema',
    riskClass: 'insecure-deserialization',
    languages: JS,
    callee: /^(?:yaml|jsyaml|YAML)\.load$/,
    when: (call) => /(?:DEFAULT_FULL_SCHEMA|FULL_SCHEMA)/.test(call.args[1]?.text() ?? ''),
    message: 'YAML loaded with the full schema (it builds functions and regexes from the document)',
    fix: 'Load with the default (safe) schema',
  }),
  literalSecretRule({
    id: 'hardcoded-secret/js-jwt-key',
    riskClass: 'hardcoded-secret',
    languages: JS,
    callee: /^(?:jwt|jsonwebtoken|JWT)\.(?:sign|verify)$/,
    arg: (call) => call.args[1],
    message: 'JWT signed or verified with a key written in the code',
    fix: 'Read the signing key from a secret store or the environment, and rotate the exposed one',
  }),
  literalSecretRule({
    id: 'hardcoded-secret/js-session-secret',
    riskClass: 'hardcoded-secret',
    languages: JS,
    callee: /^(?:session|expressSession|cookieSession|cookieParser)$/,
    arg: (call) => call.kwargs.get('secret') ?? (call.args[0]?.kind() === 'object' ? undefined : call.args[0]),
    message: 'Session or cookie signing secret written in the code',
    fix: 'Read the secret from a secret store or the environment, and rotate the exposed one',
  }),
  callRule({
    id: 'open-redirect/js-redirect',
    riskClass: 'open-redirect',
    languages: JS,
    requestOnly: true,
    callee: /^(?:res|response|reply|ctx)\.redirect$/,
    arg: (call) => call.args[call.args.length - 1],
    message: 'Redirect to a URL taken from the request',
    fix: 'Redirect only to relative paths or to an allow list of hosts',
  }),
  callRule({
    id: 'open-redirect/js-location-header',
    riskClass: 'open-redirect',
    languages: JS,
    requestOnly: true,
    callee: /^(?:res|response|reply)\.(?:setHeader|header|set|writeHead)$/,
    when: (call) => /^['"`]location['"`]$/i.test(call.args[0]?.text() ?? ''),
    arg: (call) => call.args[1],
    message: 'Location header set from the request',
    fix: 'Redirect only to relative paths or to an allow list of hosts',
  }),
  callRule({
    id: 'open-redirect/js-location-call',
    riskClass: 'open-redirect',
    languages: JS,
    requestOnly: true,
    callee: /^(?:window\.)?location\.(?:assign|replace)$/,
    message: 'Browser sent to a URL taken from the request',
    fix: 'Redirect only to relative paths or to an allow list of hosts',
  }),
  redirectAssignment,
  callRule({
    id: 'ssrf/js-http-client',
    riskClass: 'ssrf',
    languages: JS,
    requestOnly: true,
    callee: /^(?:fetch|axios|got|needle|superagent|request|undici\.request|(?:axios|got|needle|superagent|request|http|https)\.(?:get|post|put|patch|delete|head|request))$/,
    message: 'Server-side request to a URL taken from the request (SSRF)',
    fix: 'Fetch only allow-listed hosts; resolve and reject private addresses before connecting',
  }),
  tlsOption,
  weakHash,
  insecureRandom,
];

