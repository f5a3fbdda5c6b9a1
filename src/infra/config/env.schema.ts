import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

export enum NodeEnv {
  Development = 'development',
  Test = 'test',
  Staging = 'staging',
  Production = 'production',
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** Accepts true/false/1/0/yes/no/on/off (any case); anything else stays a string and fails @IsBoolean. */
export function parseBooleanWord(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}

const BooleanWord = () => Transform(({ value }) => parseBooleanWord(value));
const commaList = () =>
  Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0)
      : value,
  );

const BYTE_SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

/**
 * Every environment variable BSM reads, with its default. This class is the single
 * place configuration is parsed; everything else reads it through ConfigService<Env, true>.
 */
export class Env {
  @IsEnum(NodeEnv)
  NODE_ENV: NodeEnv = NodeEnv.Development;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsString()
  @MinLength(1)
  REGISTRY_PATH = './data/registry.yaml';

  @IsString()
  @MinLength(1)
  STATE_DIR = './var';

  /** Where earlier releases wrote reports as files; any found there are imported into the database at boot. */
  @IsString()
  @MinLength(1)
  REPORTS_DIR = './var/reports';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * PostgreSQL: how long to wait for a connection and for a query's answer. Past it a request that needs storage
   * fails with 503 STORAGE_UNAVAILABLE instead of waiting on a database that is restarting or stalled.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DATABASE_TIMEOUT_MS = 2_000;

  /** PostgreSQL schema holding BSM's tables (lets several deployments or test runs share one database). */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'public';

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * Redis: how long a connection attempt and a command may take. A connection that answers nothing for this long
   * (a stalled server) is dropped and opened again, so callers fall back at once until Redis answers.
   */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  REDIS_TIMEOUT_MS = 500;

  /** Key prefix in the shared cache, so deployments sharing one Redis stay apart. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'CACHE_NAMESPACE must be 1-64 letters, digits, ":", "_" or "-"' })
  CACHE_NAMESPACE = 'bsm';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  CACHE_TTL_AGENTS_MS = 300_000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  CACHE_TTL_KNOWLEDGE_MS = 600_000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  CACHE_TTL_REGISTRY_MS = 900_000;

  /** Review memory: characters of code (and of queries) that count for similarity. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  VECTOR_MAX_CHARS = 1000;

  /** Review memory: reviews kept in the in-process index; older ones stay in storage only. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  VECTOR_MAX_INDEXED = 200_000;

  /** Reload agents, knowledge and the registry when their files change. */
  @BooleanWord()
  @IsBoolean()
  DATA_WATCH = true;

  @ValidateIf((env: Env) => env.ADMIN_TOKEN !== undefined || env.NODE_ENV === NodeEnv.Production)
  @IsString({ message: 'ADMIN_TOKEN is required in production' })
  @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  @Matches(/^(?!.*(change-?me|placeholder|your[-_]|x{4,}|example|secret-?token))/i, {
    message: 'ADMIN_TOKEN must not be a placeholder value',
  })
  ADMIN_TOKEN?: string;

  @commaList()
  @IsString({ each: true })
  @MinLength(16, { each: true, message: 'each API_KEYS entry must be at least 16 characters' })
  API_KEYS: string[] = [];

  @commaList()
  @IsString({ each: true })
  CORS_ORIGINS: string[] = [];

  @Matches(BYTE_SIZE, { message: 'BODY_LIMIT must be a size such as 1mb, 512kb or 1048576' })
  BODY_LIMIT = '1mb';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  RATE_LIMIT_TTL_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_MAX = 600;

  /** Express "trust proxy": false, true, a hop count, or a comma list of addresses/subnets. */
  @IsString()
  TRUST_PROXY = 'false';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @BooleanWord()
  @IsBoolean()
  MOBILE_MODE = false;

  @BooleanWord()
  @IsBoolean()
  LAN_ONLY = false;

  @BooleanWord()
  @IsBoolean()
  SAFE_MODE = false;

  /** Rollback switch: false sends every LLM call straight through (no breaker state, no fail-fast). */
  @BooleanWord()
  @IsBoolean()
  CIRCUIT_BREAKER_ENABLED = true;

  /** Model table, task routing and fallbacks (kept outside DATA_DIR on purpose). */
  @IsString()
  @MinLength(1)
  MODELS_PATH = './data/models.yaml';

  @BooleanWord()
  @IsBoolean()
  FALLBACK_ENABLED = true;

  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  OPENAI_BASE_URL = 'https://api.openai.com/v1';

  @IsOptional()
  @IsString()
  PERPLEXITY_KEY?: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PERPLEXITY_BASE_URL = 'https://api.perplexity.ai';

  /** Opens when more than this share of calls in the rolling window failed... */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  BREAKER_ERROR_THRESHOLD_PERCENT = 50;

  /** ...and at least this many calls were made in it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  BREAKER_VOLUME_THRESHOLD = 5;

  /** Time an open breaker waits before letting one probe through (half-open). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  BREAKER_RESET_TIMEOUT_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  BREAKER_ROLLING_WINDOW_MS = 10_000;

  /** One HTTP attempt to a provider; the request is aborted and its socket closed after this. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LLM_ATTEMPT_TIMEOUT_MS = 20_000;

  /** Everything one call may take: bulkhead wait, every attempt and every backoff, across fallbacks. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LLM_DEADLINE_MS = 45_000;

  /** A streamed answer: the wait for its first content (within LLM_DEADLINE_MS); then the request is aborted. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LLM_STREAM_FIRST_TOKEN_TIMEOUT_MS = 20_000;

  /** A streamed answer: the longest silence between two chunks once content flows; then the stream is cut. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LLM_STREAM_IDLE_TIMEOUT_MS = 30_000;

  /** Retries after the first attempt, for retryable failures only. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  LLM_MAX_RETRIES = 2;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LLM_RETRY_BASE_MS = 250;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LLM_RETRY_MAX_MS = 5_000;

  /** Calls waiting for a bulkhead slot, per provider; beyond this callers get UPSTREAM_BUSY at once. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  LLM_BULKHEAD_MAX_QUEUE = 50;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  LLM_BULKHEAD_MAX_WAIT_MS = 10_000;

  /** Which agents run for which event (kept outside DATA_DIR on purpose). */
  @IsString()
  @MinLength(1)
  EVENTS_PATH = './data/orchestrator/events.yaml';

  /** Orchestrator jobs running at once in this instance. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  ORCHESTRATOR_CONCURRENCY = 2;

  /** A review run that outlives this fails (and is retried); a run that stays alive is never taken over before. */
  @Type(() => Number)
  @IsInt()
  @Min(10_000)
  ORCHESTRATOR_JOB_TIMEOUT_MS = 900_000;

  /** A job whose run throws is retried this many times (with backoff from 1 s), then parked as a dead letter. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  ORCHESTRATOR_RETRY_LIMIT = 2;

  /** HMAC secret of the GitHub webhook; required in production. */
  @ValidateIf((env: Env) => env.GITHUB_WEBHOOK_SECRET !== undefined || env.NODE_ENV === NodeEnv.Production)
  @IsString({ message: 'GITHUB_WEBHOOK_SECRET is required in production' })
  @MinLength(16, { message: 'GITHUB_WEBHOOK_SECRET must be at least 16 characters' })
  GITHUB_WEBHOOK_SECRET?: string;

  /** Development only: accept unsigned webhook deliveries while no secret is set. */
  @BooleanWord()
  @IsBoolean()
  WEBHOOK_ALLOW_UNSIGNED = false;

  /** Ignore deliveries sent by bots (dependabot, renovate, other apps). */
  @BooleanWord()
  @IsBoolean()
  WEBHOOK_IGNORE_BOTS = true;

  /** With a token, BSM fetches PR files and posts its decision (review, labels, one summary comment). */
  @IsOptional()
  @IsString()
  @MinLength(20, { message: 'GITHUB_TOKEN looks too short to be a token' })
  GITHUB_TOKEN?: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  GITHUB_API_URL = 'https://api.github.com';

  /**
   * A GitHub App instead of a token: its id and private key (PEM; literal \n accepted) or the key's file.
   * Installation tokens come from each webhook's installation; with both an App and a token, the App is used.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'GITHUB_APP_ID must be the App\'s numeric id' })
  @Min(1)
  GITHUB_APP_ID?: number;

  @IsOptional()
  @IsString()
  GITHUB_APP_PRIVATE_KEY?: string;

  @IsOptional()
  @IsString()
  GITHUB_APP_PRIVATE_KEY_PATH?: string;

  /** Where people reach BSM (https://bsm.example.com): commit statuses and check runs link to its review page. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  /**
   * When an approve decision becomes an APPROVE review: analyzers (only if an analyzer
   * approved; an approval resting on LLM verdicts alone is posted as a comment, since PR
   * text can steer a model), any, or never (always a comment).
   */
  @IsIn(['analyzers', 'any', 'never'])
  AUTO_APPROVE: 'analyzers' | 'any' | 'never' = 'analyzers';

  /** Retention: ended jobs and their reports are deleted after this many days. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETENTION_JOBS_DAYS = 90;

  /** Retention: webhook delivery ids are remembered (for idempotency) this many days. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETENTION_DELIVERIES_DAYS = 30;

  /** Retention: audit entries are kept this many days. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETENTION_AUDIT_DAYS = 365;

  /** When the retention purge runs: a cron expression (minute hour day month weekday), run by one instance. */
  @Matches(/^\S+( \S+){4}$/, { message: 'RETENTION_SCHEDULE must be a cron expression of five fields, e.g. "17 * * * *"' })
  RETENTION_SCHEDULE = '17 * * * *';

  /** The first part of this process's worker identity (default: the host name); each process adds its pid and a random part. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,128}$/, { message: 'INSTANCE_ID must be 1-128 letters, digits, ".", "_" or "-"' })
  INSTANCE_ID?: string;

  @BooleanWord()
  @IsBoolean()
  CACHE_STAMPEDE_PROTECTION = true;
}
