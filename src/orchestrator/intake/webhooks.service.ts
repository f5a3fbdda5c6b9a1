import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import type { Env } from '../../infra/config/env.schema';
import { JobSignal } from '../jobs/job-signal';
import { JobStore } from '../jobs/job-store';
import { OrchestratorMetrics } from '../metrics/orchestrator.metrics';
import { newJob } from './new-job';

export interface DeliveryHeaders {
  event?: string;
  delivery?: string;
}

export interface DeliveryAnswer {
  httpStatus: 200 | 202;
  body: { status: 'queued' | 'coalesced' | 'requeued' | 'duplicate' | 'skipped' | 'pong'; jobId?: string; reason?: string };
}

const GITHUB_EVENT = /^[a-z_]{1,64}$/;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;
type Raw = Record<string, unknown>;

/**
 * Intake of GitHub deliveries: a verified delivery becomes a stored job (or is answered without one).
 * Its payload is read once, here, into the stored review input; a stored job wakes the runner.
 */
@Injectable()
export class WebhooksService {
  private readonly ignoreBots: boolean;

  constructor(
    config: ConfigService<Env, true>,
    private readonly jobs: JobStore,
    private readonly signal: JobSignal,
    private readonly metrics: OrchestratorMetrics,
    private readonly correlation: CorrelationContext,
  ) {
    this.ignoreBots = config.get('WEBHOOK_IGNORE_BOTS', { infer: true });
  }

  async receive(headers: DeliveryHeaders, payload: Raw): Promise<DeliveryAnswer> {
    const problems: { field: string; messages: string[] }[] = [];
    if (!headers.event || !GITHUB_EVENT.test(headers.event)) problems.push({ field: 'x-github-event', messages: ['X-GitHub-Event is missing or malformed'] });
    if (!headers.delivery || !DELIVERY_ID.test(headers.delivery)) problems.push({ field: 'x-github-delivery', messages: ['X-GitHub-Delivery is missing or malformed'] });
    if (problems.length > 0) {
      this.metrics.deliveries.inc({ outcome: 'rejected' });
      throw new DomainException(ErrorCode.ValidationFailed, problems.map((p) => p.messages[0]).join('; '), { details: problems });
    }
    const githubEvent = headers.event!;
    if (githubEvent === 'ping') return this.answer(200, { status: 'pong' }, 'skipped');

    const action = typeof payload.action === 'string' && /^[a-z_]{1,64}$/.test(payload.action) ? payload.action : null;
    const event = action ? `${githubEvent}.${action}` : githubEvent;
    const pr = (payload.pull_request ?? {}) as Raw;
    if (pr.draft === true) return this.answer(200, { status: 'skipped', reason: 'draft pull request' }, 'skipped');
    const sender = (payload.sender ?? {}) as Raw;
    const login = typeof sender.login === 'string' ? sender.login : '';
    if (this.ignoreBots && (sender.type === 'Bot' || login.endsWith('[bot]'))) {
      return this.answer(200, { status: 'skipped', reason: `sent by a bot (${login || 'unknown'})` }, 'skipped');
    }

    const { jobId, outcome } = await this.jobs.acceptDelivery(
      newJob(event, payload, { deliveryId: headers.delivery, source: 'github' }, this.correlation.current()),
      headers.delivery!,
      event === 'pull_request.synchronize',
    );
    if (outcome === 'duplicate') return this.answer(200, { status: 'duplicate', jobId }, 'duplicate');
    this.signal.notify();
    if (outcome === 'rerun') return this.answer(202, { status: 'requeued', jobId }, 'requeued');
    return this.answer(202, { status: outcome, jobId }, outcome === 'coalesced' ? 'coalesced' : 'accepted');
  }

  private answer(httpStatus: 200 | 202, body: DeliveryAnswer['body'], outcome: string): DeliveryAnswer {
    this.metrics.deliveries.inc({ outcome });
    return { httpStatus, body };
  }
}
