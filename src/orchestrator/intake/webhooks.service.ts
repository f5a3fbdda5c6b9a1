import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import type { Env } from '../../infra/config/env.schema';
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
/** GitHub's delivery ids are UUIDs: such an id becomes the job's id (and its queue entry's). */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Raw = Record<string, unknown>;

/**
 * Intake of GitHub deliveries: a verified delivery becomes a stored job (or is answered without one).
 * Its payload is read once, here, into the stored review input; storing the job queues it.
 */
@Injectable()
export class WebhooksService {
  private readonly ignoreBots: boolean;

  constructor(
    config: ConfigService<Env, true>,
    private readonly jobs: JobStore,
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

    const delivery = headers.delivery!;
    const job = newJob(event, payload, { deliveryId: delivery, source: 'github' }, this.correlation.current());
    const { jobId, outcome } = await this.jobs.acceptDelivery(JOB_ID.test(delivery) ? { ...job, id: delivery } : job, delivery, event === 'pull_request.synchronize');
    if (outcome === 'duplicate') return this.answer(200, { status: 'duplicate', jobId }, 'duplicate');
    if (outcome === 'rerun') return this.answer(202, { status: 'requeued', jobId }, 'requeued');
    return this.answer(202, { status: outcome, jobId }, outcome === 'coalesced' ? 'coalesced' : 'accepted');
  }

  private answer(httpStatus: 200 | 202, body: DeliveryAnswer['body'], outcome: string): DeliveryAnswer {
    this.metrics.deliveries.inc({ outcome });
    return { httpStatus, body };
  }
}
