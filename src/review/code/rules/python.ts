import type { SgNode } from '@ast-grep/napi';
import { callRule, literalSecretRule, looksLikeSql, namesAround, PYTHON, SECRET_NAME, type CodeRule } from '../code-rule';
import { SQL_WORDS, worst } from '../syntax';

/** The constant text and the non-constant parts of a string built with +, %, an f-string or str.format. */
function parts(node: SgNode): { text: string; dynamic: SgNode[] } {
  const kind = node.kind();
  if (kind === 'binary_operator' && ['+', '%'].includes(node.field('operator')?.text() ?? '')) {
    const left = parts(node.field('left')!);
    const right = node.field('operator')?.text() === '%' ? { text: '', dynamic: [node.field('right')!] } : parts(node.field('right')!);
    return { text: left.text + right.text, dynamic: [...left.dynamic, ...right.dynamic] };
  }
  if (kind === 'parenthesized_expression') return parts(node.namedChildren()[0]);
  if (kind === 'concatenated_string') {
    const each = node.namedChildren().map(parts);
    return { text: each.map((e) => e.text).join(''), dynamic: each.flatMap((e) => e.dynamic) };
  }
  if (kind === 'string') {
    return {
      text: node.namedChildren().filter((c) => c.kind() === 'string_content').map((c) => c.text()).join(' '),
      dynamic: node.namedChildren().filter((c) => c.kind() === 'interpolation').map((c) => c.namedChildren()[0]),
    };
  }
  if (kind === 'call' && node.field('function')?.kind() === 'attribute' && node.field('function')?.field('attribute')?.text() === 'format') {
    const base = parts(node.field('function')!.field('object')!);
    return { text: base.text, dynamic: [...base.dynamic, ...(node.field('arguments')?.namedChildren() ?? [])] };
  }
  if (kind === 'generator_expression' || kind === 'call') return { text: '', dynamic: [node] };
  return { text: '', dynamic: [node] };
}

function isConstruction(node: SgNode): boolean {
  const kind = node.kind();
  const outer = (n: SgNode | null) => !!n && ((n.kind() === 'binary_operator' && ['+', '%'].includes(n.field('operator')?.text() ?? '')) || n.kind() === 'concatenated_string');
  if (kind === 'binary_operator') return ['+', '%'].includes(node.field('operator')?.text() ?? '') && !outer(node.parent());
  if (kind === 'string') return node.namedChildren().some((c) => c.kind() === 'interpolation') && !outer(node.parent());
  if (kind === 'call') return node.field('function')?.field('attribute')?.text() === 'format' && parts(node).text !== '';
  return false;
}

/** Raw SQL places where any built string is SQL, keywords or not (Django's extra/raw, RawSQL, SQLAlchemy text). */
const RAW_SQL_CALL = /(?:\.extra|\.raw|^RawSQL|^text|^sqlalchemy\.text)$/;

const sqlConstruction: CodeRule = {
  id: 'sql-injection/python-string-built',
  riskClass: 'sql-injection',
  languages: PYTHON,
  keywords: SQL_WORDS,
  message: 'SQL built from strings with non-constant parts (f-string, %, format or +)',
  fix: 'Pass values as query parameters (cursor.execute(sql, params), bind params in text()); never format them into SQL',
  *find(context) {
    const raw = new Set(context.calls().filter((c) => RAW_SQL_CALL.test(c.callee)).map((c) => c.node.id()));
    const formats = context.calls().filter((c) => c.callee.endsWith('.format')).map((c) => c.node);
    for (const node of [...context.all('binary_operator'), ...context.all('string'), ...formats]) {
      if (!isConstruction(node)) continue;
      const { text, dynamic } = parts(node);
      const inRaw = node.ancestors().some((a) => raw.has(a.id()));
      if (dynamic.length > 0 && (looksLikeSql(text) || inRaw)) yield { node, taint: worst(dynamic.map((d) => context.taintOf(d))) };
    }
    for (const node of context.all('augmented_assignment')) {
      const target = node.field('left');
      if (target?.kind() !== 'identifier' || !node.children().some((c) => c.text() === '+=')) continue;
      if (!context.assignmentsOf(target.text()).some((v) => looksLikeSql(parts(v).text))) continue;
      yield { node, taint: context.taintOf(node.field('right')) };
    }
  },
};

function keyword(call: { kwargs: Map<string, SgNode> }, name: string): string | undefined {
  return call.kwargs.get(name)?.text();
}

const hardcodedAppSecret: CodeRule = {
  id: 'hardcoded-secret/python-app-secret',
  riskClass: 'hardcoded-secret',
  languages: PYTHON,
  keywords: /secret_key|SECRET_KEY|JWT_SECRET/i,
  severity: 'high',
  message: 'Application secret key written in the code',
  fix: 'Read SECRET_KEY from a secret store or the environment, and rotate the exposed one',
  *find(context) {
    for (const node of context.all('assignment')) {
      const target = node.field('left')?.text().replace(/\s+/g, '') ?? '';
      if (!/^(?:app\.secret_key|[\w.]*config\[['"](?:SECRET_KEY|JWT_SECRET_KEY)['"]\]|SECRET_KEY|JWT_SECRET_KEY|JWT_SECRET)$/.test(target)) continue;
      const value = context.literalString(node.field('right'));
      if (value && value.length >= 6) yield { node, taint: 'constant' };
    }
  },
};

const tlsOff: CodeRule = {
  id: 'tls-verification-disabled/python',
  riskClass: 'tls-verification-disabled',
  languages: PYTHON,
  keywords: /verify|CERT_NONE|_create_unverified_context/,
  severity: 'high',
  message: 'TLS certificate verification turned off',
  fix: 'Keep verification on; point verify= (or the SSL context) at your CA bundle instead',
  *find(context) {
    for (const call of context.calls()) if (keyword(call, 'verify') === 'False') yield { node: call.kwargs.get('verify')!, taint: 'constant' };
    for (const node of context.all('attribute')) {
      if (/^ssl\.(?:CERT_NONE|_create_unverified_context)$/.test(node.text())) yield { node, taint: 'constant' };
    }
  },
};

const weakHash = callRule({
  id: 'weak-crypto/python-hash-of-secret',
  riskClass: 'weak-crypto',
  languages: PYTHON,
  severity: 'medium',
  callee: /^hashlib\.(?:md5|sha1)$/,
  when: (call) => SECRET_NAME.test(call.args[0]?.text() ?? ''),
  message: 'MD5 or SHA-1 used on a password or secret',
  fix: 'Hash passwords with a slow KDF (argon2, scrypt, bcrypt via passlib); use SHA-256 or HMAC for other secrets',
});

const insecureRandom = callRule({
  id: 'weak-crypto/python-random-secret',
  riskClass: 'weak-crypto',
  languages: PYTHON,
  severity: 'medium',
  callee: /^random\.(?:random|randint|randrange|choice|choices|getrandbits|sample)$/,
  when: (call) => SECRET_NAME.test(namesAround(call.node, { assignment: 'left', function_definition: 'name' })),
  arg: (call) => call.node,
  message: 'The random module used for a token, code or key that must not be guessed',
  fix: 'Use the secrets module (secrets.token_urlsafe, secrets.randbelow)',
});

export const PYTHON_RULES: readonly CodeRule[] = [
  callRule({
    id: 'command-injection/python-os-system',
    riskClass: 'command-injection',
    languages: PYTHON,
    callee: /^(?:os\.(?:system|popen)|commands\.getoutput|subprocess\.(?:getoutput|getstatusoutput)|asyncio\.create_subprocess_shell)$/,
    message: 'Shell command built from non-constant input',
    fix: 'Run subprocess with an argument list and no shell, and validate the input',
  }),
  callRule({
    id: 'command-injection/python-subprocess-shell',
    riskClass: 'command-injection',
    languages: PYTHON,
    callee: /^subprocess\.(?:run|call|check_call|check_output|Popen)$/,
    when: (call) => keyword(call, 'shell') === 'True',
    message: 'subprocess with shell=True and a non-constant command',
    fix: 'Drop shell=True and pass an argument list',
  }),
  callRule({
    id: 'code-injection/python-eval',
    riskClass: 'code-injection',
    languages: PYTHON,
    callee: /^(?:eval|exec|compile)$/,
    message: 'eval / exec of a non-constant string',
    fix: 'Parse data with json or ast.literal_eval; never evaluate strings',
  }),
  callRule({
    id: 'code-injection/python-template-from-request',
    riskClass: 'code-injection',
    languages: PYTHON,
    requestOnly: true,
    callee: /^(?:jinja2\.)?Template$|\.from_string$/,
    message: 'Template compiled from request data (server-side template injection)',
    fix: 'Keep templates in files; pass request data as template variables',
  }),
  sqlConstruction,
  callRule({
    id: 'xss/python-mark-safe',
    riskClass: 'xss',
    languages: PYTHON,
    callee: /^(?:Markup|markupsafe\.Markup|mark_safe|SafeString|format_html_join)$/,
    message: 'Non-constant value marked as safe HTML',
    fix: 'Let the template escape it, or escape it first (markupsafe.escape, format_html)',
  }),
  callRule({
    id: 'xss/python-render-template-string',
    riskClass: 'xss',
    languages: PYTHON,
    callee: /^(?:flask\.)?render_template_string$/,
    message: 'Template string built from non-constant input',
    fix: 'Keep templates in files and pass values as variables, which are escaped',
  }),
  callRule({
    id: 'xss/python-reflected-html',
    riskClass: 'xss',
    languages: PYTHON,
    requestOnly: true,
    callee: /^(?:HttpResponse|make_response|Response|HTMLResponse)$/,
    when: (call) => /</.test(call.args[0] ? parts(call.args[0]).text : ''),
    message: 'HTML response built from request data',
    fix: 'Render through a template (autoescaped), or escape the value',
  }),
  callRule({
    id: 'path-traversal/python-file',
    riskClass: 'path-traversal',
    languages: PYTHON,
    requestOnly: true,
    callee: /^(?:open|io\.open|send_file|flask\.send_file|FileResponse|os\.(?:remove|unlink|listdir|rmdir|open)|shutil\.(?:rmtree|copy|copyfile|move)|pathlib\.Path|Path)$/,
    message: 'File path taken from the request',
    fix: 'Use send_from_directory / secure_filename, or resolve under a root and check it stays there',
  }),
  callRule({
    id: 'insecure-deserialization/python-pickle',
    riskClass: 'insecure-deserialization',
    languages: PYTHON,
    callee: /^(?:c?[Pp]ickle\.loads?|_pickle\.loads?|marshal\.loads?|shelve\.open|jsonpickle\.decode|dill\.loads?|yaml\.unsafe_load|joblib\.load)$/,
    message: 'Deserialisation that runs code (pickle, marshal, …) of non-constant data',
    fix: 'Exchange data as JSON (or another format without code) and validate it',
  }),
  callRule({
    id: 'insecure-deserialization/python-yaml-load',
    riskClass: 'insecure-deserialization',
    languages: PYTHON,
    callee: /^yaml\.(?:load|load_all)$/,
    when: (call) => !/(?:Safe|Base)Loader$/.test(keyword(call, 'Loader') ?? call.args[1]?.text() ?? ''),
    message: 'yaml.load without a safe loader (it builds arbitrary Python objects)',
    fix: 'Use yaml.safe_load, or Loader=yaml.SafeLoader',
  }),
  hardcodedAppSecret,
  literalSecretRule({
    id: 'hardcoded-secret/python-jwt-key',
    riskClass: 'hardcoded-secret',
    languages: PYTHON,
    callee: /^jwt\.(?:encode|decode)$/,
    arg: (call) => call.args[1] ?? call.kwargs.get('key'),
    message: 'JWT signed or verified with a key written in the code',
    fix: 'Read the key from a secret store or the environment, and rotate the exposed one',
  }),
  callRule({
    id: 'open-redirect/python-redirect',
    riskClass: 'open-redirect',
    languages: PYTHON,
    requestOnly: true,
    callee: /^(?:redirect|flask\.redirect|HttpResponseRedirect|HttpResponsePermanentRedirect|RedirectResponse)$/,
    message: 'Redirect to a URL taken from the request',
    fix: 'Check the target with url_has_allowed_host_and_scheme (Django) or allow only relative paths',
  }),
  callRule({
    id: 'ssrf/python-http-client',
    riskClass: 'ssrf',
    languages: PYTHON,
    requestOnly: true,
    callee: /^(?:requests|httpx|session|client|self\.session)\.(?:get|post|put|patch|delete|head|request)$|^(?:urllib\.request\.)?urlopen$|^urllib2\.urlopen$/,
    arg: (call) => (/\.request$/.test(call.callee) ? call.args[1] : call.args[0]),
    message: 'Server-side request to a URL taken from the request (SSRF)',
    fix: 'Fetch only allow-listed hosts; resolve and reject private addresses before connecting',
  }),
  tlsOff,
  weakHash,
  insecureRandom,
];
