import { Transform } from 'class-transformer';
import { IsArray, Matches } from 'class-validator';

export interface KeyLimit {
  keyId: string;
  requestsPerMinute: number;
  tokensPerDay: number;
}

const LIMIT = /^[0-9a-f]{12}:\d+:\d+$/;

/** Per API key limits of the LLM routes (chat, /v1, agent runs). */
export class UsageConfig {
  /**
   * `<keyId>:<requestsPerMinute>:<tokensPerDay>,…` — keyId as GET /api/admin/usage shows it (the first 12 hex
   * digits of the key's SHA-256); 0 means no limit for that measure.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : value))
  @IsArray()
  @Matches(LIMIT, { each: true, message: 'each API_KEY_LIMITS entry must be <keyId: 12 hex digits>:<requests per minute>:<tokens per day>' })
  API_KEY_LIMITS: string[] = [];
}

export function keyLimits(config: UsageConfig): Map<string, KeyLimit> {
  return new Map(
    config.API_KEY_LIMITS.map((entry) => {
      const [keyId, requestsPerMinute, tokensPerDay] = entry.split(':');
      return [keyId, { keyId, requestsPerMinute: Number(requestsPerMinute), tokensPerDay: Number(tokensPerDay) }];
    }),
  );
}
