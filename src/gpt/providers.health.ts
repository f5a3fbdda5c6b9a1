import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { Env } from '../infra/config/env.schema';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from '../infra/health/readiness';
import { ModelRouter } from './model-router.service';

/** The environment and its LLM providers: with none configured BSM still serves, so this only warns. */
@ReadinessCheck({ key: 'environment', gatesReadiness: false })
@Injectable()
export class EnvironmentHealthIndicator implements ReadinessIndicator {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly router: ModelRouter,
  ) {}

  check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const env = this.config.get('NODE_ENV', { infer: true });
    const configured = this.router.providers().filter((p) => p.configured).map((p) => p.provider);
    const details = { nodeEnv: env, node: process.version, llmProviders: configured };
    return Promise.resolve(
      configured.length === 0
        ? indicator.up({ ...details, degraded: true, message: 'no LLM provider is configured: LLM agents are skipped and chat answers 503' })
        : indicator.up({ ...details, message: `${env}; LLM providers: ${configured.join(', ')}` }),
    );
  }
}
