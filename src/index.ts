/**
 * BSM's public API: what an embedding codebase may rely on across minor versions (docs/extending.md
 * lists the rules). Everything not exported here is internal and may change in any release; the API
 * report (`api/bsm.api.md`) shows every change to this surface in review.
 */

// The application: build it with your modules mounted beside BSM's own.
export { createApp, type CreateAppOptions } from './app.factory';
export { serve } from './serve';
export { BootError } from './infra/lifecycle/boot-error';
export { AppModule, type AppModuleOptions } from './app.module';
export type { EnvSource } from './infra/config/config.module';

// Configuration: BSM's variables, and a module's own slice validated with them at boot.
export { Env, NodeEnv } from './infra/config/env.schema';
export { ConfigSliceModule, type ConfigSliceOptions } from './infra/config/config-slice';

// Errors: one envelope for every answer; a module declares its own codes with their statuses.
export { DomainException, type DomainExceptionOptions } from './common/errors/domain.exception';
export {
  ErrorCode,
  defineErrorCodes,
  type AnyErrorCode,
  type DeclaredErrorCode,
  type ErrorCodeDeclaration,
} from './common/errors/error-code';
export { ApiErrors } from './common/errors/api-errors.decorator';
export { ErrorEnvelopeDto, ErrorBodyDto } from './common/errors/error-envelope.dto';

// Route policies.
export { InfraRoute, SignedRoute, MobileRestricted, AdminOnly, AdminAction } from './common/guards/route-policy';
export { GuardsModule } from './common/guards/guards.module';
export { RateLimitStorage } from './common/guards/rate-limit.storage';

// Storage: the shared database, and a module's own tables and migrations.
export { StorageModule } from './infra/storage/storage.module';
export { Database, type DatabaseConnection, type Drizzle, type MigrationSet, type StorageMode } from './infra/storage/database';
export { FeatureMigrationsModule } from './infra/storage/feature-migrations.module';

// Health: a readiness check is a provider marked with @ReadinessCheck().
export {
  ReadinessCheck,
  type ReadinessCheckOptions,
  type ReadinessIndicator,
  type IndicatorSession,
} from './infra/health/readiness';

// Metrics and audit.
export { MetricsModule } from './infra/metrics/metrics.module';
export { MetricsRegistry } from './infra/metrics/metrics.registry';
export { AuditModule } from './audit/audit.module';
export { AuditService } from './audit/audit.service';
export { AuditLog, type AuditEntry, type AuditPage, type NewAuditEntry } from './audit/audit-log';
export { CorrelationContext } from './common/correlation/correlation-context';

// LLM providers: the port, and the base class of any OpenAI-compatible endpoint.
export {
  LlmProvider,
  type ChatMessage,
  type LlmRequest,
  type LlmUsage,
  type LlmCompletion,
  type ProviderStatus,
  type LlmStreamChunk,
} from './gpt/ports/llm-provider';
export { OpenAiCompatibleProvider, type Credential } from './gpt/adapters/openai-compatible.provider';

// Review: analyzers (a provider extending Analyzer is found at boot), their input and findings.
export { Analyzer, verdictOf, type AnalyzerContext, type AnalyzerReport } from './review/analyzers/analyzer';
export { addedLines, type AddedLine } from './review/diff/added-lines';
export { SEVERITIES, DECISION_ACTIONS } from './review/review.model';
export type { ChangedFile, Finding, ReviewInput, ReviewVerdict, Severity, Decision, DecisionAction } from './review/review.model';
export type { SecretHit } from './review/secrets/secret-scanner';
export { CodeScanner, type CodeFinding, type CodeScan } from './review/code/code-scanner';
export { callRule, JS, PYTHON, GO, RISK_CLASSES, type ArgPicker, type CodeRule, type RiskClass, type RuleHit } from './review/code/code-rule';
export { CodeContext, type Call, type Taint } from './review/code/syntax';
export type { Fragment, Language } from './review/code/fragments';

// Ports an embedding codebase may implement.
export {
  GitHubClient,
  type CheckAnnotation,
  type CheckHandle,
  type CheckResult,
  type GitHubOutcome,
  type InlineComment,
  type PullRequestRef,
  type PostedDecision,
  type ReviewEvent,
} from './orchestrator/github/github-client';
export { ReviewStore, type StoredReview, type StoredDecision, type ReviewRow, type DecisionCounts } from './vector/ports/review-store';
