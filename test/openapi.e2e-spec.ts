import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { declaredErrorCodes } from '../src/common/errors/error-code';
import { REPO_ROOT, startTestApp, type TestApp } from './support/test-app';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.dispose());

  it('docs/errors.md lists every declared error code with its status, features\' own included', async () => {
    const doc = await readFile(resolve(REPO_ROOT, 'docs/errors.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| ([A-Z][A-Z0-9_]*) \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    const declared = [...declaredErrorCodes()];
    expect(declared.map(([code]) => code)).toContain('JOB_NOT_FOUND');
    for (const [code, status] of declared) expect([code, rows.get(code)]).toEqual([code, status]);
  });

  it('is a valid OpenAPI document', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeDefined();
  });

  it('documents every operation with a summary, a success schema and the error envelope', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const { id, op } of operations) {
      expect([id, typeof op.summary]).toEqual([id, 'string']);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      expect([id, Boolean(success && (success[1] as any).content)]).toEqual([id, true]);
      // The OpenAI-compatible routes answer in OpenAI's error shape; every other route in BSM's envelope.
      const errorRef = JSON.stringify(op.responses['500']);
      expect([id, errorRef]).toEqual([id, expect.stringContaining(id.includes(' /v1/') ? 'OpenAiErrorDto' : 'ErrorEnvelopeDto')]);
    }
    expect(doc.components.schemas.ErrorEnvelopeDto.required).toEqual(expect.arrayContaining(['error', 'correlationId']));
    const ids = operations.map(({ op }) => op.operationId as string);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => !/^[A-Za-z]+_[A-Za-z]+$/.test(id))).toEqual([]);
    const webhook = doc.paths['/api/webhooks/github'].post;
    expect(webhook.requestBody.content['application/json'].schema.example).toMatchObject({ action: 'opened', repository: { full_name: 'acme/shop' } });
    expect(webhook.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['X-Hub-Signature-256', 'X-GitHub-Event', 'X-GitHub-Delivery']));
    expect(Object.keys(webhook.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '401', '413']));
  });

  it('shows, under each error status, one example per code it documents: a declared code of that status', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const declared = declaredErrorCodes();
    let examples = 0;
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, any> }>>)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(op.responses)) {
          // Error envelopes only (a health check's 503 is its own report).
          if (!/^[45]/.test(status) || !JSON.stringify(response).includes('ErrorEnvelopeDto')) continue;
          const shown = response.content?.['application/json']?.examples ?? {};
          // Two decorators documenting one status: Nest joins their descriptions with a blank line and merges the examples.
          const listed: string[] = String(response.description).split(/ \| |\n\n/);
          expect([method, path, status, Object.keys(shown).sort()]).toEqual([method, path, status, [...listed].sort()]);
          for (const [code, example] of Object.entries(shown as Record<string, { value: { error: { code: string; message: string } } }>)) {
            expect([code, declared.get(code)]).toEqual([code, Number(status)]);
            expect(example.value.error).toEqual({ code, message: expect.stringMatching(/\S/) });
            examples++;
          }
        }
      }
    }
    expect(examples).toBeGreaterThan(50);
    // Not one message for every code: each code shows its own.
    const joined = JSON.stringify(doc.paths);
    expect(joined).toContain('openai is not configured: set OPENAI_API_KEY');
    expect(joined).toContain('No job with id');
  });

  it('gives every property of a request body, and every query parameter, an example', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, { example?: unknown; $ref?: string; items?: { $ref?: string }; allOf?: unknown[] }> }>;
    const missing: string[] = [];
    const walk = (name: string, seen = new Set<string>()) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const [property, schema] of Object.entries(schemas[name]?.properties ?? {})) {
        const ref = schema.$ref ?? schema.items?.$ref ?? (schema.allOf?.[0] as { $ref?: string } | undefined)?.$ref;
        if (ref) walk(ref.split('/').pop()!, seen);
        else if (schema.example === undefined) missing.push(`${name}.${property}`);
      }
    };
    for (const methods of Object.values(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(methods)) {
        const ref = op.requestBody?.content?.['application/json']?.schema?.$ref as string | undefined;
        if (ref) walk(ref.split('/').pop()!);
        for (const parameter of op.parameters ?? []) {
          if (parameter.in === 'query' && parameter.schema?.example === undefined && parameter.example === undefined) missing.push(`query ${parameter.name}`);
        }
      }
    }
    expect([...new Set(missing)].sort()).toEqual([]);
  });

  it('serves Swagger UI at /docs under the strict CSP, with its script as a same-origin file', async () => {
    const res = await t.http.get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
    expect(res.text).not.toMatch(/<script>[^<]+<\/script>/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
