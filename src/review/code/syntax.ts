import type { SgNode } from '@ast-grep/napi';
import { kindId, type Fragment, type Language } from './fragments';

/** Where the data an expression carries can come from, as far as the fragment shows. */
export type Taint = 'constant' | 'unknown' | 'request';

const RANK: Record<Taint, number> = { constant: 0, unknown: 1, request: 2 };

export function worst(taints: Iterable<Taint>): Taint {
  let result: Taint = 'constant';
  for (const t of taints) if (RANK[t] > RANK[result]) result = t;
  return result;
}

/** A call as the rules see it: callee text, positional arguments, keyword arguments (Python) and object options (JS). */
export interface Call {
  node: SgNode;
  callee: string;
  /** Source offsets of the call. */
  readonly start: number;
  readonly end: number;
  readonly args: SgNode[];
  readonly kwargs: Map<string, SgNode>;
}

interface Profile {
  calls: readonly string[];
  /** Data from the request (or the user) when an expression's text contains one of these. */
  sources: RegExp;
  /** Calls whose result is safe to use whatever went in. */
  sanitizers: RegExp;
  /** Calls that do not change what their arguments carry. */
  transparent: RegExp;
  strings: readonly string[];
  literals: readonly string[];
  /** Where names get their values: the node kind, the field holding the name, the field holding the value. */
  assignments: ReadonlyArray<readonly [string, string, string]>;
}

const PROFILES: Record<'js' | 'python' | 'go', Profile> = {
  js: {
    calls: ['call_expression', 'new_expression'],
    sources:
      /\breq(?:uest)?\.(?:query|body|params|headers|cookies|url|originalUrl|path|hostname|files?|get\(|param\()|\bctx\.(?:query|request|params|body|headers|cookies)|\bevent\.(?:body|queryStringParameters|pathParameters|headers)|\blocation\.(?:search|hash|href|pathname)|\bdocument\.(?:URL|documentURI|referrer|cookie|location)|\bprocess\.argv|\.searchParams\b|\bURLSearchParams\(\s*(?:window\.)?location|@(?:Query|Body|Param|Headers|Req)\(/,
    sanitizers:
      /^(?:path\.basename|basename|encodeURIComponent|encodeURI|escape|escapeHtml|he\.encode|validator\.escape|DOMPurify\.sanitize|sanitize|sanitizeHtml|xss|parseInt|parseFloat|Number|Boolean|Math\.\w+|mysql\.escape|pg\.escapeLiteral|[\w.]*\.escape(?:Id|Literal|Identifier)?)$/,
    transparent: /^(?:String|[\w.]*\.(?:toString|trim|toLowerCase|toUpperCase|slice|substring|concat|join|replace|split))$/,
    strings: ['string', 'template_string'],
    literals: ['number', 'true', 'false', 'null', 'undefined', 'regex'],
    assignments: [
      ['variable_declarator', 'name', 'value'],
      ['assignment_expression', 'left', 'right'],
      ['augmented_assignment_expression', 'left', 'right'],
    ],
  },
  python: {
    calls: ['call'],
    sources:
      /\brequest\.(?:args|form|values|json|data|files|FILES|cookies|COOKIES|headers|GET|POST|META|body|query_params|path_params|get_json|stream)|\bsys\.argv|\binput\(|\bself\.request\.|\bflask\.request\./,
    sanitizers:
      /^(?:shlex\.quote|pipes\.quote|escape|html\.escape|markupsafe\.escape|bleach\.clean|os\.path\.basename|secure_filename|werkzeug\.utils\.secure_filename|int|float|bool|url_for|quote|urllib\.parse\.quote|ast\.literal_eval)$/,
    transparent: /^(?:str|[\w.]*\.(?:strip|lower|upper|encode|decode|replace|split|join))$/,
    strings: ['string', 'concatenated_string'],
    literals: ['integer', 'float', 'true', 'false', 'none'],
    assignments: [
      ['assignment', 'left', 'right'],
      ['augmented_assignment', 'left', 'right'],
    ],
  },
  go: {
    calls: ['call_expression'],
    sources:
      /\b(?:r|req|request)\.(?:URL|Form|PostForm|FormValue|PostFormValue|Header|Body|Cookie|Cookies|MultipartForm|FormFile|RequestURI|Host)\b|\bc\.(?:Query|Param|PostForm|GetHeader|QueryParam|FormValue|DefaultQuery|GetQuery|Request|Bind|ShouldBind|Params)\b|\bmux\.Vars\(|\bos\.Args\b/,
    sanitizers: /^(?:filepath\.Base|path\.Base|filepath\.Clean|html\.EscapeString|template\.HTMLEscapeString|url\.QueryEscape|url\.PathEscape|strconv\.Atoi|strconv\.ParseInt|strconv\.Quote)$/,
    transparent: /^(?:string|\[\]byte|strings\.\w+)$/,
    strings: ['interpreted_string_literal', 'raw_string_literal'],
    literals: ['int_literal', 'float_literal', 'true', 'false', 'nil'],
    assignments: [
      ['short_var_declaration', 'left', 'right'],
      ['assignment_statement', 'left', 'right'],
      ['var_spec', 'name', 'value'],
      ['const_spec', 'name', 'value'],
    ],
  },
};

const KIND_IDS = new Map<string, number | undefined>();

/** A grammar's number for a node kind (undefined when it lacks the kind), looked up once. */
function idOf(language: Language, kind: string): number | undefined {
  const key = `${language}:${kind}`;
  if (!KIND_IDS.has(key)) KIND_IDS.set(key, kindId(language, kind));
  return KIND_IDS.get(key);
}

export const SQL_WORDS = /\b(?:select|insert|update|delete|where|order\s+by|group\s+by)\b/i;

/**
 * The pre-filter of a rule on SQL built from strings: SQL words, and somewhere the way the language builds a
 * string (`construction`: a literal next to `+`, a template substitution, `+=`, Sprintf). A fragment holding a
 * parameterised query beside some arithmetic is then neither read for it nor parsed.
 */
export function sqlBuiltWith(construction: RegExp): RegExp {
  return new RegExp(`^(?=[\\s\\S]*?${SQL_WORDS.source})(?=[\\s\\S]*?(?:${construction.source}))`, 'i');
}

/**
 * The node kinds the rules ask for, collected in one walk per fragment. A kind is collected only when the
 * fragment's text has the keyword of the rules that need it (the rules check the same keyword first); any other
 * kind (assignments, when a name must be resolved) is found when first asked for. Calls are not in it: most
 * fragments run no call rule (their callees are not in the text), and a fragment's calls are the most numerous
 * nodes it has, so they are collected only when a rule or a taint asks for them.
 */
interface Indexed {
  kind: string;
  keyword?: RegExp;
}

const INDEXED: Record<'js' | 'python' | 'go', Indexed[]> = {
  js: [
    { kind: 'assignment_expression', keyword: /innerHTML|outerHTML|location|NODE_TLS_REJECT_UNAUTHORIZED/ },
    { kind: 'augmented_assignment_expression', keyword: SQL_WORDS },
    { kind: 'binary_expression', keyword: SQL_WORDS },
    { kind: 'template_string', keyword: SQL_WORDS },
    { kind: 'pair', keyword: /rejectUnauthorized|strictSSL|__html/ },
    { kind: 'jsx_attribute', keyword: /dangerouslySetInnerHTML/ },
  ],
  python: [
    { kind: 'binary_operator', keyword: SQL_WORDS },
    { kind: 'string', keyword: SQL_WORDS },
    { kind: 'augmented_assignment', keyword: SQL_WORDS },
    { kind: 'assignment', keyword: /secret_key|SECRET_KEY|JWT_SECRET/i },
    { kind: 'attribute', keyword: /CERT_NONE|_create_unverified_context/ },
  ],
  go: [
    { kind: 'binary_expression', keyword: SQL_WORDS },
    { kind: 'keyed_element', keyword: /InsecureSkipVerify/ },
    { kind: 'assignment_statement', keyword: /InsecureSkipVerify/ },
  ],
};

const CONSTANT_NAMES = /^(?:[A-Z][A-Z0-9_]*|__dirname|__filename|None|True|False|nil|undefined|iota)$/;

function profileOf(language: Language): Profile {
  return language === 'python' ? PROFILES.python : language === 'go' ? PROFILES.go : PROFILES.js;
}

/**
 * A parsed fragment with what the rules ask of it: its calls, the values assigned to each name, and the
 * taint of any expression. Names are resolved through the assignments the fragment shows (no scopes: a
 * fragment is small, and the worst value assigned to a name is what it may carry).
 */
export class CodeContext {
  private readonly profile: Profile;
  private readonly assigned = new Map<string, SgNode[]>();
  private callList?: Call[];
  private index?: Map<string, SgNode[]>;
  private readonly memos = new Map<string, unknown>();
  private assignmentsCollected = false;
  private sanitizerCalls?: Set<Call>;
  private sortedCalls?: Call[];

  constructor(readonly fragment: Fragment) {
    this.profile = profileOf(fragment.language);
  }

  get language(): Language {
    return this.fragment.language;
  }

  /** The new-file line of a node when the pull request adds that line. */
  addedLine(node: SgNode): number | undefined {
    const line = this.fragment.lineOf(node);
    return line !== undefined && this.fragment.added.has(line) ? line : undefined;
  }

  /**
   * Nodes of the given kinds inside a node; kinds a grammar lacks match nothing. Several kinds in the whole
   * fragment are found in one walk (a rule object); inside a node, kind by kind by the grammar's numbers, which
   * ast-grep takes without reading a rule (about a sixth of the cost on a small subtree).
   */
  find(node: SgNode, ...kinds: string[]): SgNode[] {
    const known = kinds.filter((kind) => idOf(this.language, kind) !== undefined);
    if (known.length > 1 && node === this.fragment.root) return node.findAll({ rule: { any: known.map((kind) => ({ kind })) } });
    return known.flatMap((kind) => node.findAll(idOf(this.language, kind)!));
  }

  /** Collects the kinds not collected yet in one walk of the fragment. */
  private collect(kinds: readonly string[]): void {
    this.index ??= new Map();
    const missing = kinds.filter((kind) => !this.index!.has(kind));
    if (missing.length === 0) return;
    for (const kind of missing) this.index.set(kind, []);
    for (const node of this.find(this.fragment.root, ...missing)) this.index.get(node.kind() as string)!.push(node);
  }

  /**
   * Every node of a kind in the fragment. The kinds the rules ask for are collected in one walk of the tree the
   * first time (one native call, not one per kind and rule); calls and assignments in another, when a call rule
   * or a taint first needs them (the one needs the other: a call's argument is traced through assignments).
   */
  all(kind: string): SgNode[] {
    if (!this.index) {
      const indexed = INDEXED[this.language === 'python' ? 'python' : this.language === 'go' ? 'go' : 'js'];
      this.collect(indexed.filter(({ keyword }) => !keyword || keyword.test(this.fragment.text)).map(({ kind }) => kind));
    }
    this.collect([kind]);
    return this.index!.get(kind)!;
  }

  private collectCallsAndAssignments(): void {
    this.collect([...this.profile.calls, ...this.profile.assignments.map(([kind]) => kind)]);
  }

  calls(): Call[] {
    if (!this.callList) {
      this.collectCallsAndAssignments();
      this.callList = this.profile.calls.flatMap((kind) => this.all(kind)).flatMap((node) => this.callOf(node) ?? []);
    }
    return this.callList;
  }

  /** The calls in source order, sorted the first time a taint needs them. */
  private callsByPosition(): Call[] {
    this.sortedCalls ??= [...this.calls()].sort((a, b) => a.start - b.start);
    return this.sortedCalls;
  }

  /** Calls inside a node (the node included), found by source position rather than by a search of its subtree. */
  private callsWithin(node: SgNode, which: (call: Call) => boolean): Call[] {
    const { start, end } = node.range();
    const calls = this.callsByPosition();
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (calls[mid].start < start.index) lo = mid + 1;
      else hi = mid;
    }
    const within: Call[] = [];
    for (let i = lo; i < calls.length && calls[i].start < end.index; i++) if (calls[i].end <= end.index && which(calls[i])) within.push(calls[i]);
    return within;
  }

  /** The values the fragment assigns to a name (collected the first time a name is asked for). */
  assignmentsOf(name: string): SgNode[] {
    if (!this.assignmentsCollected) {
      this.assignmentsCollected = true;
      this.collectAssignments();
    }
    return this.assigned.get(name) ?? [];
  }

  private callOf(node: SgNode): Call | undefined {
    const fn = node.field('function') ?? node.field('constructor');
    if (!fn) return undefined;
    let parsed: { args: SgNode[]; kwargs: Map<string, SgNode> } | undefined;
    const parse = () => (parsed ??= this.argumentsOf(node));
    let range: { start: number; end: number } | undefined;
    const span = () => (range ??= { start: node.range().start.index, end: node.range().end.index });
    return {
      node,
      callee: fn.text().replace(/\s+/g, ''),
      get start() {
        return span().start;
      },
      get end() {
        return span().end;
      },
      get args() {
        return parse().args;
      },
      get kwargs() {
        return parse().kwargs;
      },
    };
  }

  /** Positional and keyword arguments (Python), and the pairs of object-literal options (JS). */
  private argumentsOf(node: SgNode): { args: SgNode[]; kwargs: Map<string, SgNode> } {
    const args: SgNode[] = [];
    const kwargs = new Map<string, SgNode>();
    const argsNode = node.field('arguments');
    if (!argsNode || argsNode.kind() === 'template_string') return { args, kwargs };
    for (const arg of argsNode.namedChildren()) {
      if (arg.kind() === 'comment') continue;
      if (arg.kind() === 'keyword_argument') {
        const name = arg.field('name')?.text();
        const value = arg.field('value');
        if (name && value) kwargs.set(name, value);
        continue;
      }
      args.push(arg);
      if (arg.kind() === 'object') {
        for (const pair of arg.namedChildren()) {
          const key = pair.field('key')?.text().replace(/^['"]|['"]$/g, '');
          const value = pair.field('value');
          if (pair.kind() === 'pair' && key && value) kwargs.set(key, value);
        }
      }
    }
    return { args, kwargs };
  }

  private assign(target: SgNode | null, value: SgNode | null): void {
    if (!target || !value) return;
    const kind = target.kind() as string;
    // `a, b := …` (Go) and `a, b = …` (Python) list their names as children: no search of the subtree needed.
    const names =
      kind === 'identifier'
        ? [target]
        : kind === 'expression_list' || kind === 'pattern_list'
          ? target.namedChildren().filter((child) => child.kind() === 'identifier')
          : this.find(target, 'identifier', 'shorthand_property_identifier_pattern');
    for (const name of names) {
      const list = this.assigned.get(name.text()) ?? [];
      list.push(value);
      this.assigned.set(name.text(), list);
    }
  }

  private collectAssignments(): void {
    this.collectCallsAndAssignments();
    for (const [kind, left, right] of this.profile.assignments) {
      for (const node of this.all(kind)) {
        const target = node.field(left);
        if (target && (target.kind() === 'member_expression' || target.kind() === 'attribute' || target.kind() === 'subscript')) continue;
        this.assign(target, node.field(right));
      }
    }
  }

  isSanitizer(call: SgNode): boolean {
    const fn = call.field('function') ?? call.field('constructor');
    return !!fn && this.profile.sanitizers.test(fn.text().replace(/\s+/g, ''));
  }

  /** The node's text with every sanitizer call inside it blanked out. */
  private unsanitizedText(node: SgNode): string {
    let text = node.text();
    this.sanitizerCalls ??= new Set(this.calls().filter((c) => this.profile.sanitizers.test(c.callee)));
    if (this.sanitizerCalls.size === 0) return text;
    const start = node.range().start.index;
    for (const call of this.callsWithin(node, (c) => this.sanitizerCalls!.has(c))) {
      text = text.slice(0, call.start - start) + ' '.repeat(call.end - call.start) + text.slice(call.end - start);
    }
    return text;
  }

  isStringLiteral(node: SgNode): boolean {
    const kind = node.kind() as string;
    if (!this.profile.strings.includes(kind)) return false;
    if (kind === 'template_string' || (kind === 'string' && this.language === 'python')) {
      return !node.namedChildren().some((c) => c.kind() === 'template_substitution' || c.kind() === 'interpolation');
    }
    if (kind === 'concatenated_string') return node.namedChildren().every((c) => this.isStringLiteral(c));
    return true;
  }

  /** A value computed once per fragment and shared by the rules that ask for it. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** The value of a constant string the node is or names (through assignments and []byte("…")), if any. */
  literalString(node: SgNode | undefined | null, depth = 0): string | undefined {
    if (!node || depth > 4) return undefined;
    const kind = node.kind();
    if (this.isStringLiteral(node) && kind !== 'concatenated_string') return node.text().replace(/^[a-zA-Z]*["'`]+|["'`]+$/g, '');
    if (kind === 'parenthesized_expression' || kind === 'expression_list') return this.literalString(node.namedChildren()[0], depth + 1);
    if (kind === 'identifier') {
      const values = this.assignmentsOf(node.text());
      return values.length === 1 ? this.literalString(values[0], depth + 1) : undefined;
    }
    if ((kind === 'call_expression' || kind === 'type_conversion_expression') && /^\[\]byte\(/.test(node.text())) {
      return this.literalString(node.field('arguments')?.namedChildren()[0] ?? node.field('operand'), depth + 1);
    }
    return undefined;
  }

  /** What an expression may carry: a constant, data from the request, or something the fragment cannot tell. */
  taintOf(node: SgNode | undefined | null, depth = 0, seen = new Set<number>()): Taint {
    if (!node) return 'constant';
    if (seen.has(node.id()) || depth > 6) return 'unknown';
    seen.add(node.id());
    const kind = node.kind();
    if (this.profile.calls.includes(kind as string) && this.isSanitizer(node)) return 'constant';
    if (this.profile.sources.test(this.unsanitizedText(node))) return 'request';
    if (this.profile.literals.includes(kind as string) || this.isStringLiteral(node)) return 'constant';
    const taints: Taint[] = [];
    for (const id of this.valueNames(node)) {
      const name = id.text();
      if (CONSTANT_NAMES.test(name)) continue;
      const values = this.assignmentsOf(name);
      taints.push(values.length === 0 ? 'unknown' : worst(values.map((v) => this.taintOf(v, depth + 1, seen))));
    }
    const bare = (call: Call) => /^[\w$]+$/.test(call.callee) && !this.profile.sanitizers.test(call.callee) && !this.profile.transparent.test(call.callee);
    if (this.callsWithin(node, bare).length > 0) taints.push('unknown');
    return worst(taints);
  }

  /** Identifiers that stand for values inside a node: not callees, property names or keyword names. */
  private valueNames(node: SgNode): SgNode[] {
    const ids = node.kind() === 'identifier' ? [node] : this.find(node, 'identifier', 'shorthand_property_identifier');
    return ids.filter((id) => {
      // The chain above the identifier while it is the object (a in a.b.c): a call of that chain is a callee.
      let top = id;
      for (let p = top.parent(); p && top.id() !== node.id() && (p.field('object') ?? p.field('operand'))?.id() === top.id(); p = top.parent()) top = p;
      const above = top.id() === node.id() ? null : top.parent();
      if (above && this.profile.calls.includes(above.kind() as string)) {
        if (above.field('constructor')?.id() === top.id()) return false;
        if (above.field('function')?.id() === top.id()) return this.assignmentsOf(id.text()).length > 0;
      }
      for (let n: SgNode = id, parent = id.parent(); parent && n.id() !== node.id(); n = parent, parent = parent.parent()) {
        const k = parent.kind() as string;
        if (k === 'attribute' && parent.field('attribute')?.id() === n.id()) return false;
        if (k === 'keyword_argument' && parent.field('name')?.id() === n.id()) return false;
        if (k === 'literal_element' && parent.parent()?.kind() === 'keyed_element' && parent.parent()?.child(0)?.id() === parent.id()) return false;
        if (this.profile.calls.includes(k) && this.isSanitizer(parent)) return false;
        if (k === 'type_conversion_expression' || k === 'slice_type' || k === 'qualified_type') return false;
      }
      return true;
    });
  }
}
