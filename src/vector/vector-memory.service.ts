import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { Gauge, Histogram } from 'prom-client';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import type { Env } from '../infra/config/env.schema';
import { MetricsRegistry } from '../infra/metrics/metrics.registry';
import { InvertedIndex } from './index/inverted-index';
import { tokenSet } from './index/tokenize';
import { ReviewMemory } from './ports/review-memory';
import { ReviewStore, type StoredReview } from './ports/review-store';

export const REJECTION_ACTIONS = ['block_pr', 'request_changes'];
const REBUILD_CHUNK = 2_000;
/** How often the index reads the reviews other instances stored (a search finds them within 2 s). */
const FOLLOW_MS = 1_000;
/**
 * A missing sequence number is a review still being stored by another instance (its insert commits after a
 * later one's) for a moment, or a rolled-back insert for good: the follower waits this long for it.
 */
const GAP_WAIT_MS = 10_000;

export interface SearchResult {
  id: string;
  score: number;
  review: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface IndexState {
  state: 'indexing' | 'ready' | 'failed';
  indexed: number;
  total: number | null;
  error?: string;
}

/**
 * Review memory: every review and decision is written to storage before the API answers;
 * reviews are also held in an in-process inverted index for exact top-K Jaccard search,
 * rebuilt from storage at boot in chunks that yield to the event loop, then kept up with the
 * reviews any other instance stores by reading new rows in sequence order each second.
 */
@Injectable()
export class VectorMemoryService extends ReviewMemory implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly maxChars: number;
  private readonly index: InvertedIndex;
  private state: IndexState = { state: 'indexing', indexed: 0, total: null };
  /** Writes that land while the rebuild runs join the index after it, keeping insertion order. */
  private pendingDuringRebuild: Array<{ id: string; createdAt: number; code: string }> | null = [];
  private stopping = false;
  private readonly queryLatency: Histogram;
  /** Every review up to this sequence number is in the index. */
  private followedSeq = 0;
  /** The first missing sequence number, and since when it is missing. */
  private gap?: { seq: number; since: number };
  private follower?: NodeJS.Timeout;
  private following = false;
  private followFailing = false;

  constructor(
    private readonly store: ReviewStore,
    private readonly logger: PinoLogger,
    config: ConfigService<Env, true>,
    registry: MetricsRegistry,
  ) {
    super();
    logger.setContext(VectorMemoryService.name);
    this.maxChars = config.get('VECTOR_MAX_CHARS', { infer: true });
    this.index = new InvertedIndex(config.get('VECTOR_MAX_INDEXED', { infer: true }));
    const index = this.index;
    new Gauge({
      name: 'bsm_vector_index_reviews',
      help: 'Reviews held in the similarity index',
      registers: [registry],
      collect() {
        this.set(index.size);
      },
    });
    this.queryLatency = new Histogram({
      name: 'bsm_vector_query_seconds',
      help: 'Similarity search time in the index',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    void this.rebuild();
  }

  onModuleDestroy(): void {
    this.stopping = true;
    clearInterval(this.follower);
  }

  /** Resolves when the index is ready (tests, benchmarks). */
  async whenReady(): Promise<IndexState> {
    while (this.state.state === 'indexing') await new Promise((resolve) => setTimeout(resolve, 20));
    return this.state;
  }

  indexState(): IndexState {
    return { ...this.state, indexed: this.index.size };
  }

  private async rebuild(): Promise<void> {
    const started = performance.now();
    try {
      this.state.total = await this.store.countReviews();
      let afterSeq = 0;
      for (;;) {
        if (this.stopping) return;
        const rows = await this.store.scanReviews(afterSeq, REBUILD_CHUNK);
        if (rows.length === 0) break;
        for (const row of rows) this.index.add({ id: row.id, createdAt: row.createdAt.getTime() }, tokenSet(row.code, this.maxChars));
        afterSeq = rows[rows.length - 1].seq;
        this.followedSeq = afterSeq;
        this.state.indexed = this.index.size;
        await yieldToEventLoop();
      }
      for (const review of this.pendingDuringRebuild ?? []) this.addToIndex(review);
      this.pendingDuringRebuild = null;
      this.state = { state: 'ready', indexed: this.index.size, total: this.state.total };
      this.logger.info({ reviews: this.index.size, ms: Math.round(performance.now() - started) }, 'review index ready');
      this.follower = setInterval(() => void this.follow(), FOLLOW_MS);
      this.follower.unref();
    } catch (error) {
      this.state = { ...this.state, state: 'failed', error: (error as Error).message };
      this.logger.error({ err: (error as Error).message }, 'review index rebuild failed');
    }
  }

  /** Adds the reviews stored since the last look, by any instance (the index ignores those it holds). */
  async follow(): Promise<void> {
    if (this.following || this.stopping) return;
    this.following = true;
    try {
      const rows = await this.store.scanReviews(this.followedSeq, REBUILD_CHUNK);
      let followed = this.followedSeq;
      let waiting = false;
      for (const row of rows) {
        this.index.add({ id: row.id, createdAt: row.createdAt.getTime() }, tokenSet(row.code, this.maxChars));
        if (waiting) continue;
        if (row.seq !== followed + 1) {
          if (this.gap?.seq !== followed + 1) this.gap = { seq: followed + 1, since: Date.now() };
          // Read again from the gap next time, until it fills or is old enough to be a rollback.
          if (Date.now() - this.gap.since < GAP_WAIT_MS) {
            waiting = true;
            continue;
          }
        }
        followed = row.seq;
      }
      this.followedSeq = followed;
      if (this.followFailing) this.logger.info('review index follows storage again');
      this.followFailing = false;
    } catch (error) {
      if (!this.followFailing) this.logger.warn({ err: (error as Error).message }, 'review index cannot read new reviews; retrying each second');
      this.followFailing = true;
    } finally {
      this.following = false;
    }
  }

  private addToIndex(review: { id: string; createdAt: number; code: string }): void {
    this.index.add({ id: review.id, createdAt: review.createdAt }, tokenSet(review.code, this.maxChars));
  }

  async rememberReview(code: string, review: string, metadata: Record<string, unknown> = {}): Promise<{ id: string; createdAt: Date }> {
    const stored: StoredReview = { id: randomUUID(), code, review, metadata, createdAt: new Date() };
    await this.store.saveReview(stored);
    const entry = { id: stored.id, createdAt: stored.createdAt.getTime(), code };
    if (this.pendingDuringRebuild) this.pendingDuringRebuild.push(entry);
    else this.addToIndex(entry);
    return { id: stored.id, createdAt: stored.createdAt };
  }

  async getReview(id: string): Promise<StoredReview> {
    const review = await this.store.findReview(id);
    if (!review) throw new DomainException(ErrorCode.ReviewNotFound, `No review with id '${id}'`);
    return review;
  }

  async search(code: string, topK: number): Promise<SearchResult[]> {
    if (this.state.state !== 'ready') {
      throw new DomainException(
        ErrorCode.IndexNotReady,
        `The review index is ${this.state.state} (${this.index.size} of ${this.state.total ?? '?'} reviews)`,
        { headers: { 'Retry-After': '1' }, details: this.indexState() },
      );
    }
    const stop = this.queryLatency.startTimer();
    const hits = this.index.search(tokenSet(code, this.maxChars), topK);
    stop();
    const stored = new Map((await this.store.findReviews(hits.map((hit) => hit.id))).map((r) => [r.id, r]));
    return hits.flatMap((hit) => {
      const review = stored.get(hit.id);
      return review
        ? [{ id: hit.id, score: Math.round(hit.score * 1e6) / 1e6, review: review.review, metadata: review.metadata, createdAt: review.createdAt }]
        : [];
    });
  }

  async rememberDecision(
    decision: { action: string; reason?: string; [key: string]: unknown },
    context: Record<string, unknown> = {},
  ): Promise<{ id: string; createdAt: Date }> {
    const stored = { id: randomUUID(), decision, context, createdAt: new Date() };
    await this.store.saveDecision(stored);
    return { id: stored.id, createdAt: stored.createdAt };
  }

  async rejectionPatterns(since?: Date) {
    const counts = await this.store.decisionCounts(REJECTION_ACTIONS, since);
    return {
      total: counts.total,
      rejections: counts.rejections,
      rejectionRate: `${(counts.total === 0 ? 0 : (counts.rejections / counts.total) * 100).toFixed(2)}%`,
      commonReasons: Object.fromEntries(counts.reasons.map((r) => [r.reason, r.count])),
      since: since?.toISOString() ?? null,
    };
  }
}
