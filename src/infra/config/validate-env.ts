import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { BootError } from '../lifecycle/boot-error';
import { Env, NodeEnv } from './env.schema';

export class InvalidConfigurationError extends BootError {
  constructor(problems: string[]) {
    super('Invalid configuration', problems);
    this.name = 'InvalidConfigurationError';
  }
}

const KNOWN_KEYS = Object.keys(new Env());
/** Variables whose values never appear in an error message. */
const SECRETS = new Set(['ADMIN_TOKEN', 'API_KEYS', 'GITHUB_WEBHOOK_SECRET', 'GITHUB_TOKEN', 'OPENAI_API_KEY', 'PERPLEXITY_KEY']);

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {});
  const shown = error.value === undefined ? '' : ` (got ${JSON.stringify(error.value)})`;
  return `${error.property}: ${reasons.join('; ')}${shown}`;
}

/**
 * Builds the typed Env from a raw variable map. Empty strings count as unset, so a
 * compose file's `${VAR:-}` falls back to the default. Every bad variable is reported at once.
 */
export function validateEnv(source: Record<string, string | undefined>): Env {
  const picked: Record<string, string> = {};
  for (const key of KNOWN_KEYS) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const env = plainToInstance(Env, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { forbidUnknownValues: false });
  const problems = errors.map((error) => {
    const text = describe(error);
    return SECRETS.has(error.property) ? text.replace(/ \(got .*\)$/, '') : text;
  });
  if (env.NODE_ENV === NodeEnv.Production && env.WEBHOOK_ALLOW_UNSIGNED === true) {
    problems.push('WEBHOOK_ALLOW_UNSIGNED: unsigned webhook deliveries cannot be accepted in production');
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return env;
}
