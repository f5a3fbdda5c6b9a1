import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AgentsModule } from './agents/agents.module';
import { AuditModule } from './audit/audit.module';
import { CacheApiModule } from './cache/cache-api.module';
import { CorrelationModule } from './common/correlation/correlation.module';
import { GlobalExceptionFilter } from './common/errors/global-exception.filter';
import { AfterFeatureRoutes } from './common/http/after-feature-routes';
import { GuardsModule } from './common/guards/guards.module';
import { GptModule } from './gpt/gpt.module';
import { AppConfigModule, EnvSource } from './infra/config/config.module';
import { AppCacheModule } from './infra/cache/cache.module';
import { HealthModule } from './infra/health/health.module';
import { LoggingModule } from './infra/logging/logging.module';
import { MetricsModule } from './infra/metrics/metrics.module';
import { ResilienceModule } from './infra/resilience/resilience.module';
import { StorageModule } from './infra/storage/storage.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { OperatorModule } from './operator/operator.module';
import { OrchestratorModule } from './orchestrator/orchestrator.module';
import { ReviewModule } from './review/review.module';
import { StatusModule } from './status/status.module';
import { VectorModule } from './vector/vector.module';

export interface AppModuleOptions {
  env: EnvSource;
  /** Extra modules an embedding codebase adds (its own agents' analyzers, indicators, routes). */
  modules?: Array<Type | DynamicModule>;
}

@Module({})
export class AppModule {
  static async register(options: AppModuleOptions): Promise<DynamicModule> {
    // Config slices anywhere under these modules are validated with the core's variables, before anything starts.
    const features = [
      CorrelationModule,
      LoggingModule,
      MetricsModule,
      StorageModule,
      GuardsModule,
      HealthModule,
      AppCacheModule,
      ResilienceModule,
      AuditModule,
      AgentsModule,
      KnowledgeModule,
      CacheApiModule,
      VectorModule,
      GptModule,
      ReviewModule,
      OrchestratorModule,
      OperatorModule,
      StatusModule,
      ...(options.modules ?? []),
    ];
    return {
      module: AppModule,
      imports: [await AppConfigModule.forRoot(options.env, features), ...features],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }, AfterFeatureRoutes],
    };
  }
}
