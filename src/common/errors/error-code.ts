import { HttpStatus } from '@nestjs/common';

/** The error codes shared by the whole application. Features declare their own with defineErrorCodes(). */
export enum ErrorCode {
  InvalidJson = 'INVALID_JSON',
  InvalidBody = 'INVALID_BODY',
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidId = 'INVALID_ID',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  AdminDisabled = 'ADMIN_DISABLED',
  LanOnlyViolation = 'LAN_ONLY_VIOLATION',
  MobileModeRestriction = 'MOBILE_MODE_RESTRICTION',
  NotFound = 'NOT_FOUND',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  InternalError = 'INTERNAL_ERROR',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  StorageUnavailable = 'STORAGE_UNAVAILABLE',
  InvalidMode = 'INVALID_MODE',
  AgentNotFound = 'AGENT_NOT_FOUND',
  ApprovalRequired = 'APPROVAL_REQUIRED',
  ProfileNotAllowed = 'PROFILE_NOT_ALLOWED',
  SafeModeRestriction = 'SAFE_MODE_RESTRICTION',
  AgentAlreadyRunning = 'AGENT_ALREADY_RUNNING',
  AgentNotRunning = 'AGENT_NOT_RUNNING',
  KnowledgeNotFound = 'KNOWLEDGE_NOT_FOUND',
  ReviewNotFound = 'REVIEW_NOT_FOUND',
  IndexNotReady = 'INDEX_NOT_READY',
  ContextNotAllowed = 'CONTEXT_NOT_ALLOWED',
  ActionNotAllowed = 'ACTION_NOT_ALLOWED',
  AgentNotChattable = 'AGENT_NOT_CHATTABLE',
  ProviderNotConfigured = 'PROVIDER_NOT_CONFIGURED',
  UpstreamCircuitOpen = 'UPSTREAM_CIRCUIT_OPEN',
  UpstreamBusy = 'UPSTREAM_BUSY',
  UpstreamTimeout = 'UPSTREAM_TIMEOUT',
  UpstreamError = 'UPSTREAM_ERROR',
  UpstreamAuthFailed = 'UPSTREAM_AUTH_FAILED',
  UpstreamRejected = 'UPSTREAM_REJECTED',
  AllModelsFailed = 'ALL_MODELS_FAILED',
  StreamInterrupted = 'STREAM_INTERRUPTED',
  ModelNotFound = 'MODEL_NOT_FOUND',
  BreakerNotFound = 'BREAKER_NOT_FOUND',
}

const CORE_STATUS: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.InvalidJson]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidBody]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidId]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.AdminDisabled]: HttpStatus.FORBIDDEN,
  [ErrorCode.LanOnlyViolation]: HttpStatus.FORBIDDEN,
  [ErrorCode.MobileModeRestriction]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.InternalError]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ErrorCode.ServiceUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.StorageUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.InvalidMode]: HttpStatus.BAD_REQUEST,
  [ErrorCode.AgentNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.ApprovalRequired]: HttpStatus.FORBIDDEN,
  [ErrorCode.ProfileNotAllowed]: HttpStatus.FORBIDDEN,
  [ErrorCode.SafeModeRestriction]: HttpStatus.FORBIDDEN,
  [ErrorCode.AgentAlreadyRunning]: HttpStatus.CONFLICT,
  [ErrorCode.AgentNotRunning]: HttpStatus.CONFLICT,
  [ErrorCode.KnowledgeNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.ReviewNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.IndexNotReady]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.ContextNotAllowed]: HttpStatus.FORBIDDEN,
  [ErrorCode.ActionNotAllowed]: HttpStatus.FORBIDDEN,
  [ErrorCode.AgentNotChattable]: HttpStatus.CONFLICT,
  [ErrorCode.ProviderNotConfigured]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.UpstreamCircuitOpen]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.UpstreamBusy]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.UpstreamTimeout]: HttpStatus.GATEWAY_TIMEOUT,
  [ErrorCode.UpstreamError]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.UpstreamAuthFailed]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.UpstreamRejected]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.AllModelsFailed]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.StreamInterrupted]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.ModelNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.BreakerNotFound]: HttpStatus.NOT_FOUND,
};

/** A message each core code really answers with, shown as its example in the OpenAPI document. */
const CORE_EXAMPLE: Record<ErrorCode, string> = {
  [ErrorCode.InvalidJson]: 'Request body is not valid JSON',
  [ErrorCode.InvalidBody]: 'Request body could not be decoded as Content-Encoding: gzip',
  [ErrorCode.ValidationFailed]: 'limit must not be greater than 100',
  [ErrorCode.InvalidId]: "'abc' is not a valid job id: a UUID",
  [ErrorCode.Unauthorized]: 'A valid API key is required (x-api-key or Authorization: Bearer)',
  [ErrorCode.Forbidden]: 'This route needs the admin token (x-admin-token)',
  [ErrorCode.AdminDisabled]: 'Admin routes are disabled: set ADMIN_TOKEN to enable them',
  [ErrorCode.LanOnlyViolation]: 'LAN_ONLY is on: only loopback and private-network clients are served',
  [ErrorCode.MobileModeRestriction]: 'MOBILE_MODE is on: state-changing routes are refused',
  [ErrorCode.NotFound]: 'No route for GET /api/agentz',
  [ErrorCode.PayloadTooLarge]: 'Request body exceeds the size limit',
  [ErrorCode.UnsupportedMediaType]: 'Unsupported content encoding',
  [ErrorCode.RateLimited]: 'Too many requests: 600 per 60 s; retry after the Retry-After seconds',
  [ErrorCode.InternalError]: 'Something went wrong on our side; quote the correlation id when you report it',
  [ErrorCode.ServiceUnavailable]: 'Storage is not ready',
  [ErrorCode.StorageUnavailable]: 'Storage is unavailable: retry shortly',
  [ErrorCode.InvalidMode]: 'mode must be one of api, chat, ci, github, system',
  [ErrorCode.AgentNotFound]: "No agent with id 'code-review-agnt'",
  [ErrorCode.ApprovalRequired]: 'Starting security-agent requires approval (approval.required in the registry)',
  [ErrorCode.ProfileNotAllowed]: 'legal-agent may not start in profile production',
  [ErrorCode.SafeModeRestriction]: 'SAFE_MODE is on: agents with the security context may not start',
  [ErrorCode.AgentAlreadyRunning]: 'code-review-agent is already running',
  [ErrorCode.AgentNotRunning]: 'code-review-agent is not running',
  [ErrorCode.KnowledgeNotFound]: 'No knowledge document with id "security-guide"',
  [ErrorCode.ReviewNotFound]: 'No remembered review with id "0b7c…"',
  [ErrorCode.IndexNotReady]: 'The review index is being rebuilt (12000 of 48000 reviews)',
  [ErrorCode.ContextNotAllowed]: 'legal-agent is not allowed in the chat context',
  [ErrorCode.ActionNotAllowed]: 'The message asks for update_file, which is not among code-review-agent\'s actions',
  [ErrorCode.AgentNotChattable]: 'security-agent is a deterministic analyzer; it runs in reviews, not in chat',
  [ErrorCode.ProviderNotConfigured]: 'openai is not configured: set OPENAI_API_KEY',
  [ErrorCode.UpstreamCircuitOpen]: 'openai (gpt-4o-mini) is failing; calls are suspended until the circuit half-opens',
  [ErrorCode.UpstreamBusy]: 'openai (gpt-4o-mini) is at its concurrency limit (queue full)',
  [ErrorCode.UpstreamTimeout]: 'openai (gpt-4o-mini) did not answer in time',
  [ErrorCode.UpstreamError]: 'openai (gpt-4o-mini) failed: 500 Internal Server Error',
  [ErrorCode.UpstreamAuthFailed]: "openai (gpt-4o-mini) refused BSM's credentials (401): check the provider's key in the configuration",
  [ErrorCode.UpstreamRejected]: 'openai (gpt-4o-mini) rejected the request (404)',
  [ErrorCode.AllModelsFailed]: 'Every model failed: openai/gpt-4o-mini UPSTREAM_ERROR, openai/gpt-4o UPSTREAM_ERROR',
  [ErrorCode.StreamInterrupted]: 'openai (gpt-4o-mini) stopped after 312 characters: UPSTREAM_TIMEOUT',
  [ErrorCode.ModelNotFound]: 'No model or task named "gpt-5-turbo" (GET /v1/models lists them)',
  [ErrorCode.BreakerNotFound]: 'No circuit breaker named "opena"',
};

/** Any code the application answers with: the core's, or one a feature or an embedding module declared. */
export type AnyErrorCode = ErrorCode | DeclaredErrorCode<string>;
/** A code declared with defineErrorCodes(): the code's own string, typed. */
export type DeclaredErrorCode<T extends string> = T & { readonly __declaredErrorCode?: never };

const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;
const statuses = new Map<string, HttpStatus>(Object.entries(CORE_STATUS));
const examples = new Map<string, string>(Object.entries(CORE_EXAMPLE));

/** A code's status, or its status with a message it really answers with (its example in the OpenAPI document). */
export type ErrorCodeDeclaration = HttpStatus | { status: HttpStatus; example: string };

/**
 * Declares error codes with their HTTP status, where they belong: in the feature (or the embedding
 * module) that throws them. The global filter and the OpenAPI document read the same table. A code
 * declared twice with another status is a programming error and throws at import.
 */
export function defineErrorCodes<const T extends Record<string, ErrorCodeDeclaration>>(codes: T): { readonly [K in keyof T & string]: DeclaredErrorCode<K> } {
  for (const [code, declaration] of Object.entries(codes)) {
    const status = typeof declaration === 'object' ? declaration.status : declaration;
    if (!CODE_PATTERN.test(code)) throw new Error(`error code "${code}" must match ${CODE_PATTERN.source}`);
    const known = statuses.get(code);
    if (known !== undefined && known !== status) throw new Error(`error code ${code} is already declared with status ${known}`);
    statuses.set(code, status);
    if (typeof declaration === 'object') examples.set(code, declaration.example);
  }
  return Object.fromEntries(Object.keys(codes).map((code) => [code, code])) as { readonly [K in keyof T & string]: DeclaredErrorCode<K> };
}

/** The status of a declared code; undefined for a code nobody declared. */
export function statusOf(code: string): HttpStatus | undefined {
  return statuses.get(code);
}

/** A message the code answers with: its declared example, or its name in words when none was given. */
export function exampleMessageOf(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return examples.get(code) ?? `${words[0].toUpperCase()}${words.slice(1)}`;
}

/** Every declared code with its status, for docs and tests. */
export function declaredErrorCodes(): ReadonlyMap<string, HttpStatus> {
  return statuses;
}
