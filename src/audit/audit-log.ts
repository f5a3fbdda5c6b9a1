export interface AuditEntry {
  id: number;
  action: string;
  target: string;
  correlationId: string;
  details: unknown;
  createdAt: Date;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'createdAt'>;

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Port: the append-only audit trail. */
export abstract class AuditLog {
  abstract append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first; `before` is an exclusive id bound from a previous page. */
  abstract page(limit: number, before?: number): Promise<AuditPage>;
  /** Retention: deletes entries older than `cutoff`; returns how many. */
  abstract purgeBefore(cutoff: Date): Promise<number>;
}
