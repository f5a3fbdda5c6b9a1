import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { GuardsModule } from '../common/guards/guards.module';
import { ResilienceModule } from '../infra/resilience/resilience.module';
import type { Env } from '../infra/config/env.schema';
import { DataFilesModule } from '../infra/data/data-files.module';
import { OpenAiProvider } from './adapters/openai.provider';
import { PerplexityProvider } from './adapters/perplexity.provider';
import { BreakersController } from './breakers.controller';
import { AgentRunController, ChatController } from './chat.controller';
import { ChatService } from './chat.service';
import { LlmMetrics } from './llm.metrics';
import { ModelRouter } from './model-router.service';
import { EnvironmentHealthIndicator } from './providers.health';
import { LlmCallSettings } from './provider-pipeline';
import { OpenAiApiController } from './openai-api/openai-api.controller';
import { OpenAiApiService } from './openai-api/openai-api.service';
import { UsageConfig } from './usage/usage.config';
import { UsageController } from './usage/usage.controller';
import { UsageGuard } from './usage/usage.guard';
import { UsageService } from './usage/usage.service';
import { ConfigSliceModule } from '../infra/config/config-slice';
import { RedisModule } from '../infra/redis/redis.module';

/**
 * LLM providers behind the model router and its resilience layers, and the chat API.
 * Providers are found by type: any LlmProvider in the app (this module's or an embedding
 * codebase's) can be named in models.yaml.
 */
@Module({
  imports: [DiscoveryModule, TerminusModule, DataFilesModule, AgentsModule, AuditModule, GuardsModule, ResilienceModule, RedisModule, ConfigSliceModule.forFeature(UsageConfig)],
  controllers: [ChatController, AgentRunController, BreakersController, OpenAiApiController, UsageController],
  providers: [
    {
      provide: LlmCallSettings,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): LlmCallSettings => ({
        attemptTimeoutMs: config.get('LLM_ATTEMPT_TIMEOUT_MS', { infer: true }),
        deadlineMs: config.get('LLM_DEADLINE_MS', { infer: true }),
        retry: {
          maxRetries: config.get('LLM_MAX_RETRIES', { infer: true }),
          baseMs: config.get('LLM_RETRY_BASE_MS', { infer: true }),
          maxMs: config.get('LLM_RETRY_MAX_MS', { infer: true }),
        },
        maxQueue: config.get('LLM_BULKHEAD_MAX_QUEUE', { infer: true }),
        maxQueueWaitMs: config.get('LLM_BULKHEAD_MAX_WAIT_MS', { infer: true }),
        streamFirstTokenMs: config.get('LLM_STREAM_FIRST_TOKEN_TIMEOUT_MS', { infer: true }),
        streamIdleMs: config.get('LLM_STREAM_IDLE_TIMEOUT_MS', { infer: true }),
      }),
    },
    OpenAiProvider,
    PerplexityProvider,
    LlmMetrics,
    ModelRouter,
    ChatService,
    OpenAiApiService,
    UsageService,
    UsageGuard,
    EnvironmentHealthIndicator,
  ],
  exports: [ModelRouter, ChatService],
})
export class GptModule {}
