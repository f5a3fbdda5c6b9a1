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
  [ErrorCode.BreakerNotFound]: HttpStatus.NOT_FOUND,
};

/** Any code the application answers with: the core's, or one a feature or an embedding module declared. */
export type AnyErrorCode = ErrorCode | DeclaredErrorCode<string>;
/** A code declared with defineErrorCodes(): the code's own string, typed. */
export type DeclaredErrorCode<T extends string> = T & { readonly __declaredErrorCode?: never };

const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;
const statuses = new Map<string, HttpStatus>(Object.entries(CORE_STATUS));

/**
 * Declares error codes with their HTTP status, where they belong: in the feature (or the embedding
 * module) that throws them. The global filter and the OpenAPI document read the same table. A code
 * declared twice with another status is a programming error and throws at import.
 */
export function defineErrorCodes<const T extends Record<string, HttpStatus>>(codes: T): { readonly [K in keyof T & string]: DeclaredErrorCode<K> } {
  for (const [code, status] of Object.entries(codes)) {
    if (!CODE_PATTERN.test(code)) throw new Error(`error code "${code}" must match ${CODE_PATTERN.source}`);
    const known = statuses.get(code);
    if (known !== undefined && known !== status) throw new Error(`error code ${code} is already declared with status ${known}`);
    statuses.set(code, status);
  }
  return Object.fromEntries(Object.keys(codes).map((code) => [code, code])) as { readonly [K in keyof T & string]: DeclaredErrorCode<K> };
}

/** The status of a declared code; undefined for a code nobody declared. */
export function statusOf(code: string): HttpStatus | undefined {
  return statuses.get(code);
}

/** Every declared code with its status, for docs and tests. */
export function declaredErrorCodes(): ReadonlyMap<string, HttpStatus> {
  return statuses;
}
