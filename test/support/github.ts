import examples from '@octokit/webhooks-examples';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../../src/testing/fake-github';
import { signWebhook, webhookHeaders } from '../../src/testing/webhooks';
import { startLlmTestApp, waitFor, type LlmTestApp } from './llm-app';
import { APPROVE_JSON } from './pull-requests';
import type { TestApp } from './test-app';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

type Example = Record<string, unknown> & { action?: string; pull_request?: Record<string, unknown> };

/** Real GitHub payloads from @octokit/webhooks-examples, loaded once. */
export function githubExample(event: string, action?: string, filter: (e: Example) => boolean = () => true): Example {
  const group = (examples as unknown as { name: string; examples: Example[] }[]).find((e) => e.name === event);
  const found = group?.examples.find((e) => (action === undefined || e.action === action) && filter(e));
  if (!found) throw new Error(`no ${event}.${action} example`);
  return structuredClone(found);
}

export function sign(body: string, secret = WEBHOOK_SECRET): string {
  return signWebhook(body, secret);
}

export function deliveryHeaders(event: string, body: string, delivery?: string): Record<string, string> {
  return webhookHeaders(event, body, WEBHOOK_SECRET, delivery);
}

/** BSM (with the fake LLM approving) wired to a fake GitHub over real HTTP, as a token or App deployment is. */
export async function startWithFakeGitHub(env: Record<string, string> = { GITHUB_TOKEN: 'ghs_test0123456789abcdefghij' }, options: FakeGitHubOptions = {}): Promise<{ t: LlmTestApp; github: FakeGitHub }> {
  const github = await startFakeGitHub(options);
  const t = await startLlmTestApp({ env: { GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET, GITHUB_API_URL: github.url, ...env } });
  t.openai.setBehaviour({ content: APPROVE_JSON });
  return { t, github };
}

/** Delivers a signed pull_request webhook and waits for its job to end. */
export async function deliverPullRequest(t: TestApp, payload: object): Promise<Record<string, any>> {
  const body = JSON.stringify(payload);
  const res = await t.http.post('/api/webhooks/github').set(deliveryHeaders('pull_request', body)).send(body).expect(202);
  return waitFor(() => t.http.get(`/api/orchestrator/jobs/${res.body.jobId}`).then((r) => r.body), (j) => j.status === 'completed' || j.status === 'failed', 30_000);
}
