import type { SgNode } from '@ast-grep/napi';
import { callRule, GO, literalSecretRule, looksLikeSql, namesAround, SECRET_NAME, type CodeRule } from '../code-rule';
import { SQL_WORDS, sqlBuiltWith, worst } from '../syntax';

const SHELL = /^"(?:\/bin\/|\/usr\/bin\/)?(?:sh|bash|zsh|dash|cmd|cmd\.exe|powershell|pwsh)"$/;

/** The constant text and the non-constant parts of a string built with + or fmt.Sprintf. */
function parts(node: SgNode): { text: string; dynamic: SgNode[] } {
  const kind = node.kind();
  if (kind === 'binary_expression' && node.field('operator')?.text() === '+') {
    const left = parts(node.field('left')!);
    const right = parts(node.field('right')!);
    return { text: left.text + right.text, dynamic: [...left.dynamic, ...right.dynamic] };
  }
  if (kind === 'parenthesized_expression') return parts(node.namedChildren()[0]);
  if (kind === 'interpreted_string_literal' || kind === 'raw_string_literal') return { text: node.text().slice(1, -1), dynamic: [] };
  if (kind === 'call_expression' && /^fmt\.Sprint[f]?$/.test(node.field('function')?.text() ?? '')) {
    const [format, ...rest] = node.field('arguments')?.namedChildren() ?? [];
    return { text: format ? parts(format).text : '', dynamic: rest };
  }
  return { text: '', dynamic: [node] };
}

function isConstruction(node: SgNode): boolean {
  if (node.kind() === 'call_expression') return /^fmt\.Sprintf?$/.test(node.field('function')?.text() ?? '');
  if (node.kind() !== 'binary_expression' || node.field('operator')?.text() !== '+') return false;
  const parent = node.parent();
  return !(parent?.kind() === 'binary_expression' && parent.field('operator')?.text() === '+');
}

const sqlConstruction: CodeRule = {
  id: 'sql-injection/go-string-built',
  riskClass: 'sql-injection',
  languages: GO,
  keywords: sqlBuiltWith(/["`]\s*\)*\s*\+|\+\s*\(*\s*["`]|\bSprintf?\b/),
  message: 'SQL built from strings with non-constant parts (fmt.Sprintf or +)',
  fix: 'Pass values as query arguments (db.Query(sql, args...) with $1 / ?); never format them into SQL',
  *find(context) {
    const sprintf = /\bSprintf?\b/.test(context.fragment.text) ? context.calls().filter((c) => /^fmt\.Sprintf?$/.test(c.callee)).map((c) => c.node) : [];
    for (const node of [...context.all('binary_expression'), ...sprintf]) {
      if (!SQL_WORDS.test(node.text()) || !isConstruction(node)) continue;
      const { text, dynamic } = parts(node);
      if (dynamic.length > 0 && looksLikeSql(text)) yield { node, taint: worst(dynamic.map((d) => context.taintOf(d))) };
    }
  },
};

const tlsOff: CodeRule = {
  id: 'tls-verification-disabled/go-insecure-skip-verify',
  riskClass: 'tls-verification-disabled',
  languages: GO,
  keywords: /InsecureSkipVerify/,
  severity: 'high',
  message: 'TLS certificate verification turned off (InsecureSkipVerify)',
  fix: 'Keep verification on; add your CA to the config RootCAs instead',
  *find(context) {
    for (const node of context.all('keyed_element')) {
      const [key, value] = node.namedChildren();
      if (key?.text() === 'InsecureSkipVerify' && value?.text() === 'true') yield { node, taint: 'constant' };
    }
    for (const node of context.all('assignment_statement')) {
      if (/\.InsecureSkipVerify$/.test(node.field('left')?.text() ?? '') && node.field('right')?.text() === 'true') yield { node, taint: 'constant' };
    }
  },
};

const insecureRandom = callRule({
  id: 'weak-crypto/go-math-rand-secret',
  riskClass: 'weak-crypto',
  languages: GO,
  severity: 'medium',
  callee: /^rand\.(?:Intn|Int|Int31|Int31n|Int63|Int63n|Uint32|Uint64|Float64|Perm|Shuffle)$/,
  when: (call) =>
    SECRET_NAME.test(namesAround(call.node, { short_var_declaration: 'left', assignment_statement: 'left', function_declaration: 'name', method_declaration: 'name' })),
  arg: (call) => call.node,
  message: 'math/rand used for a token, key or id that must not be guessed',
  fix: 'Use crypto/rand (rand.Read, rand.Text)',
});

export const GO_RULES: readonly CodeRule[] = [
  callRule({
    id: 'command-injection/go-shell',
    riskClass: 'command-injection',
    languages: GO,
    callee: /^exec\.Command(?:Context)?$/,
    arg: (call) => {
      const args = call.callee.endsWith('Context') ? call.args.slice(1) : call.args;
      return SHELL.test(args[0]?.text() ?? '') && args[1]?.text() === '"-c"' ? args.slice(2) : undefined;
    },
    message: 'Shell command (sh -c) built from non-constant input',
    fix: 'Run the program directly with separate arguments: exec.Command("ping", "-c", "1", host)',
  }),
  callRule({
    id: 'command-injection/go-command-from-request',
    riskClass: 'command-injection',
    languages: GO,
    requestOnly: true,
    callee: /^exec\.Command(?:Context)?$/,
    arg: (call) => (call.callee.endsWith('Context') ? call.args[1] : call.args[0]),
    message: 'Program to run taken from the request',
    fix: 'Choose the program from a fixed allow list',
  }),
  callRule({
    id: 'code-injection/go-template-parse',
    riskClass: 'code-injection',
    languages: GO,
    callee: /^template\.(?:Must\()?(?:New\([^)]*\)\.)?Parse$|\.Parse$/,
    when: (call) => /template\./.test(call.callee),
    message: 'Template parsed from non-constant text (template injection)',
    fix: 'Parse templates from files or constants; pass data to Execute',
  }),
  callRule({
    id: 'code-injection/go-interpreter-eval',
    riskClass: 'code-injection',
    languages: GO,
    callee: /^\w+\.(?:Eval|EvalPath)$/,
    when: (call, context) => context.taintOf(call.args[0]) !== 'constant' && !/^(?:regexp|strconv)\./.test(call.callee),
    message: 'Non-constant code evaluated by an embedded interpreter',
    fix: 'Do not evaluate code from users',
  }),
  sqlConstruction,
  callRule({
    id: 'xss/go-template-html',
    riskClass: 'xss',
    languages: GO,
    callee: /^template\.(?:HTML|JS|URL|HTMLAttr|CSS)$/,
    message: 'Non-constant value marked as safe HTML (template.HTML)',
    fix: 'Pass the plain string to html/template, which escapes it',
  }),
  callRule({
    id: 'xss/go-reflected-html',
    riskClass: 'xss',
    languages: GO,
    requestOnly: true,
    callee: /^(?:fmt\.Fprintf|fmt\.Fprint|io\.WriteString)$/,
    when: (call) => /</.test(call.args[1] ? parts(call.args[1]).text : ''),
    arg: (call) => (call.callee === 'io.WriteString' ? call.args[1] : call.args.slice(1)),
    message: 'HTML response written with request data',
    fix: 'Render with html/template, which escapes values',
  }),
  callRule({
    id: 'path-traversal/go-file',
    riskClass: 'path-traversal',
    languages: GO,
    requestOnly: true,
    callee: /^(?:os\.(?:Open|OpenFile|ReadFile|Create|Remove|RemoveAll|WriteFile|ReadDir)|ioutil\.(?:ReadFile|WriteFile))$/,
    message: 'File path taken from the request',
    fix: 'Join filepath.Base(name) to a fixed root (or use os.Root / http.FS) and check the result',
  }),
  callRule({
    id: 'path-traversal/go-serve-file',
    riskClass: 'path-traversal',
    languages: GO,
    requestOnly: true,
    callee: /^http\.ServeFile$/,
    arg: (call) => call.args[2],
    message: 'File served from a path taken from the request',
    fix: 'Serve from an http.FileServer(http.Dir(root)) or clean the name with filepath.Base',
  }),
  callRule({
    id: 'insecure-deserialization/go-gob',
    riskClass: 'insecure-deserialization',
    languages: GO,
    callee: /^gob\.NewDecoder$/,
    message: 'gob decoding of data from outside (gob trusts its input)',
    fix: 'Decode untrusted input as JSON into a fixed struct and validate it',
  }),
  literalSecretRule({
    id: 'hardcoded-secret/go-signing-key',
    riskClass: 'hardcoded-secret',
    languages: GO,
    callee: /\.SignedString$|^sessions\.New(?:Cookie|Filesystem)Store$/,
    arg: (call) => call.args[call.callee.endsWith('SignedString') ? 0 : call.callee.endsWith('FilesystemStore') ? 1 : 0],
    message: 'Signing key written in the code',
    fix: 'Read the key from a secret store or the environment, and rotate the exposed one',
  }),
  callRule({
    id: 'open-redirect/go-redirect',
    riskClass: 'open-redirect',
    languages: GO,
    requestOnly: true,
    callee: /^http\.Redirect$|^c\.Redirect$/,
    arg: (call) => (call.callee === 'http.Redirect' ? call.args[2] : call.args[1]),
    message: 'Redirect to a URL taken from the request',
    fix: 'Redirect only to relative paths or to an allow list of hosts',
  }),
  callRule({
    id: 'ssrf/go-http-client',
    riskClass: 'ssrf',
    languages: GO,
    requestOnly: true,
    callee: /^http\.(?:Get|Post|Head|PostForm|NewRequest|NewRequestWithContext)$|^\w+\.(?:Get|Post|Head)$/,
    when: (call) => /^http\.|[cC]lient\./.test(call.callee),
    arg: (call) => (call.callee === 'http.NewRequest' ? call.args[1] : call.callee === 'http.NewRequestWithContext' ? call.args[2] : call.args[0]),
    message: 'Server-side request to a URL taken from the request (SSRF)',
    fix: 'Fetch only allow-listed hosts; resolve and reject private addresses before connecting',
  }),
  tlsOff,
  callRule({
    id: 'weak-crypto/go-hash-of-secret',
    riskClass: 'weak-crypto',
    languages: GO,
    severity: 'medium',
    callee: /^(?:md5|sha1)\.Sum$/,
    when: (call) => SECRET_NAME.test(call.args[0]?.text() ?? ''),
    message: 'MD5 or SHA-1 used on a password or secret',
    fix: 'Hash passwords with bcrypt or argon2 (golang.org/x/crypto); use SHA-256 or HMAC for other secrets',
  }),
  insecureRandom,
];
