import { Injectable } from '@nestjs/common';
import { desc, lt } from 'drizzle-orm';
import { Database } from '../infra/storage/database';
import { auditLog } from './audit.schema';
import { AuditEntry, AuditLog, AuditPage, NewAuditEntry } from './audit-log';

@Injectable()
export class DrizzleAuditLog extends AuditLog {
  constructor(private readonly database: Database) {
    super();
  }

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const [row] = await this.database.db.insert(auditLog).values(entry).returning();
    return row;
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const rows = await this.database.db.delete(auditLog).where(lt(auditLog.createdAt, cutoff)).returning({ id: auditLog.id });
    return rows.length;
  }

  async page(limit: number, before?: number): Promise<AuditPage> {
    const rows = await this.database.db
      .select()
      .from(auditLog)
      .where(before === undefined ? undefined : lt(auditLog.id, before))
      .orderBy(desc(auditLog.id))
      .limit(limit + 1);
    const entries = rows.slice(0, limit);
    return { entries, nextCursor: rows.length > limit ? String(entries[entries.length - 1].id) : null };
  }
}
