import { createHmac, randomUUID } from 'node:crypto';

/** The `X-Hub-Signature-256` GitHub sends for this body with this webhook secret. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The headers of a signed GitHub delivery of `event` carrying `body`. */
export function webhookHeaders(event: string, body: string, secret: string, delivery: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': signWebhook(body, secret),
  };
}
