import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../infra/config/env.schema';
import { OpenAiCompatibleProvider, type Credential } from './openai-compatible.provider';

/** Perplexity's search models: an OpenAI-compatible API whose answers carry citations. */
@Injectable()
export class PerplexityProvider extends OpenAiCompatibleProvider {
  readonly name = 'perplexity';

  constructor(private readonly config: ConfigService<Env, true>) {
    super(config.get('PERPLEXITY_BASE_URL', { infer: true }));
  }

  protected credential(): Credential {
    return { key: this.config.get('PERPLEXITY_KEY', { infer: true }), variable: 'PERPLEXITY_KEY' };
  }
}
