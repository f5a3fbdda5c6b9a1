import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/** The shape docs/architecture.md promises, checked on the source itself. */
const SRC = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Every module specifier a file imports or exports from, relative ones resolved to paths under src/. */
function importsOf(file: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found.map((spec) => (spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : spec));
}

const FILES = sources(SRC);

describe('architecture', () => {
  it('keeps the review engine free of jobs, webhooks, storage and GitHub', () => {
    const forbidden = /^(orchestrator|infra\/storage|vector|gpt)\/|^@octokit\/|^drizzle-orm|^pg$|^@electric-sql\//;
    const offending = FILES.filter((f) => relative(SRC, f).startsWith('review/')).flatMap((file) =>
      importsOf(file)
        .filter((target) => forbidden.test(target))
        .map((target) => `${relative(SRC, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('lets the orchestrator import only downwards: http → intake → runner → run → delivery/archive → queue and ports', () => {
    const rank: Record<string, number> = {
      http: 0,
      intake: 1,
      runner: 2,
      run: 3,
      delivery: 4,
      archive: 4,
      retention: 4,
      events: 5,
      jobs: 5,
      reports: 5,
      github: 5,
      metrics: 6,
    };
    const layerOf = (path: string): number | undefined => {
      const [top, folder, file] = path.split('/');
      if (top !== 'orchestrator') return undefined;
      if (file === undefined) return folder === 'orchestrator.module.ts' ? -1 : 7; // the module wires all; its schema and error codes are the floor
      return rank[folder];
    };
    const offending: string[] = [];
    for (const file of FILES.filter((f) => relative(SRC, f).startsWith('orchestrator/'))) {
      const own = layerOf(relative(SRC, file));
      expect(own).toBeDefined();
      for (const target of importsOf(file)) {
        const theirs = layerOf(target.replace(/\.ts$/, '') + '.ts') ?? layerOf(target);
        if (theirs !== undefined && own !== undefined && theirs < own) offending.push(`${relative(SRC, file)} → ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('has no class with more than 8 constructor dependencies', () => {
    const crowded: string[] = [];
    for (const file of FILES) {
      const visit = (node: ts.Node) => {
        if (ts.isConstructorDeclaration(node) && node.parameters.length > 8) {
          const owner = ts.isClassDeclaration(node.parent) ? node.parent.name?.text : '?';
          crowded.push(`${relative(SRC, file)}: ${owner} (${node.parameters.length})`);
        }
        ts.forEachChild(node, visit);
      };
      visit(parse(file));
    }
    expect(crowded).toEqual([]);
  });

  it('declares at most three global modules', () => {
    const globals = FILES.filter((file) => /@Global\(\)|^\s*global: true/m.test(readFileSync(file, 'utf8'))).map((f) => relative(SRC, f));
    expect(globals.length).toBeLessThanOrEqual(3);
  });
});
