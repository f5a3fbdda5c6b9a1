import { createHmac, randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';

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
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function deliveryHeaders(event: string, body: string, delivery: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': sign(body),
  };
}
