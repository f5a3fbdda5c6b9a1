import { Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, gt, gte, inArray, sql } from 'drizzle-orm';
import { Database } from '../infra/storage/database';
import { vectorDecisions, vectorReviews } from './vector.schema';
import { DecisionCounts, ReviewRow, ReviewStore, StoredDecision, StoredReview } from './ports/review-store';

const REASON_LIMIT = 10;

@Injectable()
export class DrizzleReviewStore extends ReviewStore {
  constructor(private readonly database: Database) {
    super();
  }

  async saveReview(review: StoredReview): Promise<void> {
    await this.database.db.insert(vectorReviews).values(review);
  }

  async findReview(id: string): Promise<StoredReview | undefined> {
    const [row] = await this.database.db.select().from(vectorReviews).where(eq(vectorReviews.id, id));
    return row ? toReview(row) : undefined;
  }

  async findReviews(ids: string[]): Promise<StoredReview[]> {
    if (ids.length === 0) return [];
    const rows = await this.database.db.select().from(vectorReviews).where(inArray(vectorReviews.id, ids));
    return rows.map(toReview);
  }

  scanReviews(afterSeq: number, limit: number): Promise<ReviewRow[]> {
    return this.database.db
      .select({ seq: vectorReviews.seq, id: vectorReviews.id, code: vectorReviews.code, createdAt: vectorReviews.createdAt })
      .from(vectorReviews)
      .where(gt(vectorReviews.seq, afterSeq))
      .orderBy(asc(vectorReviews.seq))
      .limit(limit);
  }

  async countReviews(): Promise<number> {
    const [row] = await this.database.db.select({ n: count() }).from(vectorReviews);
    return Number(row.n);
  }

  async saveDecision(decision: StoredDecision): Promise<void> {
    await this.database.db.insert(vectorDecisions).values({
      id: decision.id,
      action: decision.decision.action,
      reason: typeof decision.decision.reason === 'string' ? decision.decision.reason : null,
      decision: decision.decision,
      context: decision.context,
      createdAt: decision.createdAt,
    });
  }

  async decisionCounts(rejectionActions: string[], since?: Date): Promise<DecisionCounts> {
    const window = since ? gte(vectorDecisions.createdAt, since) : undefined;
    const rejected = inArray(vectorDecisions.action, rejectionActions);
    const [totals] = await this.database.db
      .select({ total: count(), rejections: sql<number>`count(*) filter (where ${rejected})` })
      .from(vectorDecisions)
      .where(window);
    const reasons = await this.database.db
      .select({ reason: sql<string>`coalesce(${vectorDecisions.reason}, '(no reason)')`, count: count() })
      .from(vectorDecisions)
      .where(and(window, rejected))
      .groupBy(sql`1`)
      .orderBy(desc(count()), asc(sql`1`))
      .limit(REASON_LIMIT);
    return {
      total: Number(totals.total),
      rejections: Number(totals.rejections),
      reasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.count) })),
    };
  }
}

function toReview(row: typeof vectorReviews.$inferSelect): StoredReview {
  return {
    id: row.id,
    code: row.code,
    review: row.review,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}
