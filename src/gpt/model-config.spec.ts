import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataFileError } from '../infra/data/data-format';
import { parseModelConfig } from './model-config';

const SHIPPED = resolve(__dirname, '../../data/models.yaml');
const PROVIDERS = ['openai', 'perplexity'];

describe('parseModelConfig', () => {
  it('reads the shipped models.yaml', async () => {
    const config = parseModelConfig('models.yaml', await readFile(SHIPPED, 'utf8'), PROVIDERS);
    expect(config.search).toBe('sonar');
    expect(config.providers).toEqual({ openai: { maxConcurrent: 10 }, perplexity: { maxConcurrent: 5 } });
    expect(config.tasks.code_review.high).toBe('gpt-4o');
    expect(config.models['gpt-4o-mini'].fallbacks).toEqual(['gpt-4o']);
  });

  it('lists every problem at once', () => {
    const text = `
providers:
  openai: { maxConcurrent: 0 }
  mystery: {}
models:
  a: { provider: openai, fallbacks: [a, b] }
routing:
  search: s
  tasks:
    code_review: { low: a, medium: a }
    poetry: { low: a, medium: a, high: a }
`;
    let error: DataFileError | undefined;
    try {
      parseModelConfig('models.yaml', text, PROVIDERS);
    } catch (e) {
      error = e as DataFileError;
    }
    expect(error).toBeInstanceOf(DataFileError);
    expect(error!.problems).toEqual(
      expect.arrayContaining([
        'providers.openai.maxConcurrent must be a positive integer',
        'providers.mystery: no such provider (known: openai, perplexity)',
        'models.a.fallbacks must not name the model itself',
        'models.a.fallbacks: unknown model "b"',
        'routing.search: unknown model "s"',
        'routing.tasks.code_review.high: unknown model undefined',
        'routing.tasks.security_scan must map low, medium, high to models',
        'routing.tasks.poetry: unknown task (known: code_review, security_scan, legal_analysis, chat_response)',
      ]),
    );
  });

  it('names the line of a YAML syntax error', () => {
    expect(() => parseModelConfig('models.yaml', 'models: [\n', PROVIDERS)).toThrow(/models\.yaml: line \d/);
  });
});
