import examples from '@octokit/webhooks-examples';
import { signWebhook, webhookHeaders } from '../../src/testing/webhooks';

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
