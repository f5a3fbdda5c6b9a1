import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { OpenAiCompatibleProvider, type Credential } from 'bsm';

export class OllamaOptions {
  /** Ollama's OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1. */
  baseUrl!: string;
}

/**
 * A local Ollama server as a provider named "ollama". The router finds it by its type and
 * gives it its own breaker and bulkhead; models.yaml decides which models and tasks use it.
 */
@Injectable()
export class OllamaProvider extends OpenAiCompatibleProvider {
  readonly name = 'ollama';

  constructor(options: OllamaOptions) {
    super(options.baseUrl);
  }

  /** Ollama ignores the key, but the OpenAI SDK requires one. */
  protected credential(): Credential {
    return { key: 'ollama-local-server-no-key', variable: 'none (local server)' };
  }
}

@Module({})
export class OllamaModule {
  static forRoot(options: OllamaOptions): DynamicModule {
    return { module: OllamaModule, providers: [{ provide: OllamaOptions, useValue: options }, OllamaProvider] };
  }
}
