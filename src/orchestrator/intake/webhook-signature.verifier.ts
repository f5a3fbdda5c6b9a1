import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainException } from '../../common/errors/domain.exception';
import type { Env } from '../../infra/config/env.schema';
import { OrchestratorMetrics } from '../metrics/orchestrator.metrics';
import { OrchestratorError } from '../orchestrator.errors';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * GitHub's X-Hub-Signature-256: HMAC-SHA256 of the raw body. Checked by the body parser's
 * verify hook, before the JSON is parsed, so a forged delivery costs one HMAC.
 */
@Injectable()
export class WebhookSignatureVerifier {
  private readonly secret?: string;
  private readonly allowUnsigned: boolean;

  constructor(
    config: ConfigService<Env, true>,
    private readonly metrics: OrchestratorMetrics,
  ) {
    this.secret = config.get('GITHUB_WEBHOOK_SECRET', { infer: true });
    this.allowUnsigned = config.get('WEBHOOK_ALLOW_UNSIGNED', { infer: true });
  }

  /** Throws INVALID_WEBHOOK_SIGNATURE unless `header` signs `body`. */
  assert(header: string | string[] | undefined, body: Buffer): void {
    if (!this.secret) {
      if (this.allowUnsigned) return;
      throw this.refused('GITHUB_WEBHOOK_SECRET is not set, so deliveries cannot be verified (WEBHOOK_ALLOW_UNSIGNED=true accepts them in development)');
    }
    const match = typeof header === 'string' ? SIGNATURE.exec(header) : null;
    if (!match) throw this.refused('X-Hub-Signature-256 is missing or not of the form sha256=<64 hex digits>');
    const expected = createHmac('sha256', this.secret).update(body).digest();
    const given = Buffer.from(match[1], 'hex');
    // Lengths are equal by the pattern; timingSafeEqual still checks, and compares in constant time.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw this.refused('X-Hub-Signature-256 does not match the body');
    }
  }

  private refused(message: string): DomainException {
    this.metrics.deliveries.inc({ outcome: 'rejected' });
    return new DomainException(OrchestratorError.INVALID_WEBHOOK_SIGNATURE, message);
  }
}
