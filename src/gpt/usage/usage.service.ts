import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { Counter } from 'prom-client';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { keyIdOf } from '../../common/guards/secret-match';
import type { Env } from '../../infra/config/env.schema';
import { BootError } from '../../infra/lifecycle/boot-error';
import { MetricsRegistry } from '../../infra/metrics/metrics.registry';
import { RedisConnection } from '../../infra/redis/redis-connection';
import type { LlmUsage } from '../ports/llm-provider';
import { RedisUsageStore } from './redis-usage-store';
import { keyLimits, UsageConfig, type KeyLimit } from './usage.config';
import { MemoryUsageStore, UsageStore, type KeyUsage } from './usage-store';

const MINUTE_MS = 60_000;
/** The caller of a request that no API key identified (API_KEYS unset). */
const ANONYMOUS = 'anonymous';

const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);
const secondsUntil = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Requests and tokens of the LLM routes per API key (its keyId, never the key), in /metrics and for
 * GET /api/admin/usage, and the optional per-key limits of API_KEY_LIMITS. Counting never holds a call:
 * when the store (Redis) fails, the call goes through uncounted and the failure is logged.
 */
@Injectable()
export class UsageService implements OnModuleInit {
  private readonly store: UsageStore;
  /** With Redis, its answer within REDIS_TIMEOUT_MS (a stalled Redis never holds a call). */
  private readonly answered: <T>(work: Promise<T>) => Promise<T>;
  private readonly limits: Map<string, KeyLimit>;
  private readonly requests: Counter<'key_id'>;
  private readonly tokens: Counter<'key_id' | 'kind'>;

  constructor(
    config: UsageConfig,
    private readonly appConfig: ConfigService<Env, true>,
    private readonly correlation: CorrelationContext,
    private readonly logger: PinoLogger,
    registry: MetricsRegistry,
    redis: RedisConnection,
  ) {
    logger.setContext(UsageService.name);
    this.limits = keyLimits(config);
    this.store = redis.client ? new RedisUsageStore(redis.client, `${redis.namespace}:usage`) : new MemoryUsageStore();
    this.answered = redis.client ? (work) => redis.bounded(work) : (work) => work;
    this.requests = new Counter({ name: 'bsm_api_key_requests_total', help: 'LLM route requests per API key id', labelNames: ['key_id'], registers: [registry] });
    this.tokens = new Counter({ name: 'bsm_api_key_tokens_total', help: 'Tokens per API key id and kind (prompt, completion)', labelNames: ['key_id', 'kind'], registers: [registry] });
  }

  /** A limit for a key BSM does not accept would never apply: refused at boot. */
  onModuleInit(): void {
    const known = new Set(this.appConfig.get('API_KEYS', { infer: true }).map(keyIdOf));
    const unknown = [...this.limits.keys()].filter((keyId) => !known.has(keyId));
    if (unknown.length > 0) {
      throw new BootError('API_KEY_LIMITS', unknown.map((keyId) => `"${keyId}" is not the keyId of any API_KEYS entry`));
    }
  }

  /** Counts one LLM request of the current caller; over its limit, refuses it with 429 and Retry-After. */
  async admit(now = Date.now()): Promise<void> {
    let keyId = this.correlation.caller();
    if (!keyId) this.correlation.identify((keyId = ANONYMOUS));
    this.requests.inc({ key_id: keyId });
    const limit = this.limits.get(keyId);
    const windowStart = now - (now % MINUTE_MS);
    const [count, tokensToday] = await this.counted(
      () => Promise.all([this.store.countRequest(keyId, windowStart, MINUTE_MS), limit?.tokensPerDay ? this.store.tokensOn(keyId, utcDay(now)) : 0]),
      [0, 0],
    );
    if (!limit) return;
    if (limit.requestsPerMinute > 0 && count > limit.requestsPerMinute) {
      const retryAfter = secondsUntil(windowStart + MINUTE_MS - now);
      throw new DomainException(ErrorCode.RateLimited, `API key ${keyId} used its ${limit.requestsPerMinute} requests per minute: retry in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
        details: { keyId, limit: 'requestsPerMinute', requestsPerMinute: limit.requestsPerMinute },
      });
    }
    if (limit.tokensPerDay > 0 && tokensToday >= limit.tokensPerDay) {
      const retryAfter = secondsUntil(Date.parse(`${utcDay(now)}T00:00:00Z`) + 24 * 3600 * 1000 - now);
      throw new DomainException(ErrorCode.RateLimited, `API key ${keyId} used its ${limit.tokensPerDay} tokens for today (UTC): retry in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
        details: { keyId, limit: 'tokensPerDay', tokensPerDay: limit.tokensPerDay, tokensToday },
      });
    }
  }

  /** Adds a finished call's tokens to its caller's totals. */
  record(keyId: string, usage: LlmUsage, now = Date.now()): void {
    this.tokens.inc({ key_id: keyId, kind: 'prompt' }, usage.promptTokens);
    this.tokens.inc({ key_id: keyId, kind: 'completion' }, usage.completionTokens);
    void this.counted(() => this.store.addTokens(keyId, utcDay(now), usage.promptTokens, usage.completionTokens), undefined);
  }

  async all(): Promise<KeyUsage[]> {
    try {
      return await this.answered(this.store.all());
    } catch (error) {
      throw new DomainException(ErrorCode.ServiceUnavailable, `Usage is kept in Redis, which did not answer: ${(error as Error).message}`);
    }
  }

  private async counted<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await this.answered(work());
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'usage not counted: its store failed');
      return fallback;
    }
  }
}
