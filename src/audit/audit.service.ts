import { Injectable } from '@nestjs/common';
import { CorrelationContext } from '../common/correlation/correlation-context';
import { AuditEntry, AuditLog, AuditPage } from './audit-log';

/** Every admin action in BSM goes through record(), stamped with the request's correlation id. */
@Injectable()
export class AuditService {
  constructor(
    private readonly log: AuditLog,
    private readonly correlation: CorrelationContext,
  ) {}

  record(action: string, target: string, details?: unknown): Promise<AuditEntry> {
    return this.log.append({
      action,
      target,
      details: details ?? null,
      correlationId: this.correlation.current() ?? 'internal',
    });
  }

  purgeBefore(cutoff: Date): Promise<number> {
    return this.log.purgeBefore(cutoff);
  }

  page(limit: number, cursor?: string): Promise<AuditPage> {
    return this.log.page(limit, cursor === undefined ? undefined : Number(cursor));
  }
}
