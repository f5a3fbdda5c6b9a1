export interface StoredReview {
  id: string;
  code: string;
  review: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface ReviewRow {
  seq: number;
  id: string;
  code: string;
  createdAt: Date;
}

export interface StoredDecision {
  id: string;
  decision: { action: string; reason?: string; [key: string]: unknown };
  context: Record<string, unknown> | null;
  createdAt: Date;
}

export interface DecisionCounts {
  total: number;
  rejections: number;
  reasons: Array<{ reason: string; count: number }>;
}

/** Port: where reviews and decisions live (PGlite or PostgreSQL through Drizzle). */
export abstract class ReviewStore {
  abstract saveReview(review: StoredReview): Promise<void>;
  abstract findReview(id: string): Promise<StoredReview | undefined>;
  abstract findReviews(ids: string[]): Promise<StoredReview[]>;
  /** Reviews in insertion order after `afterSeq`, up to `limit`, for rebuilding the index. */
  abstract scanReviews(afterSeq: number, limit: number): Promise<ReviewRow[]>;
  abstract countReviews(): Promise<number>;
  abstract saveDecision(decision: StoredDecision): Promise<void>;
  /** Totals over decisions since `since`; `reasons` counts the reasons of rejections, most common first. */
  abstract decisionCounts(rejectionActions: string[], since?: Date): Promise<DecisionCounts>;
}
