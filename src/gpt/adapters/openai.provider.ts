import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../infra/config/env.schema';
import { ModelKeys } from '../../infra/config/model-keys';
import { OpenAiCompatibleProvider, isUsableKey, type Credential } from './openai-compatible.provider';

/** OpenAI, or any server speaking its API at OPENAI_BASE_URL. */
@Injectable()
export class OpenAiProvider extends OpenAiCompatibleProvider {
  readonly name = 'openai';

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly modelKeys: ModelKeys,
  ) {
    super(config.get('OPENAI_BASE_URL', { infer: true }));
  }

  /** An agent's modelKey selects OPENAI_<KEY>_KEY; without a usable one, OPENAI_API_KEY. */
  protected credential(modelKey?: string): Credential {
    if (modelKey) {
      const key = this.modelKeys.get(modelKey);
      if (isUsableKey(key)) return { key, variable: ModelKeys.variableFor(modelKey) };
    }
    const key = this.config.get('OPENAI_API_KEY', { infer: true });
    return { key, variable: modelKey ? `${ModelKeys.variableFor(modelKey)} or OPENAI_API_KEY` : 'OPENAI_API_KEY' };
  }
}
