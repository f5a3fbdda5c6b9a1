import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { BootError } from '../lifecycle/boot-error';
import { checkGithubApp } from './github-app-key';
import { Env, NodeEnv } from './env.schema';

export class InvalidConfigurationError extends BootError {
  constructor(problems: string[]) {
    super('Invalid configuration', problems);
    this.name = 'InvalidConfigurationError';
  }
}

/** Variables whose values never appear in an error message. */
const SECRETS = new Set(['ADMIN_TOKEN', 'API_KEYS', 'GITHUB_WEBHOOK_SECRET', 'GITHUB_TOKEN', 'GITHUB_APP_PRIVATE_KEY', 'OPENAI_API_KEY', 'PERPLEXITY_KEY']);

/** Names the variable and, unless it is a secret, the value as given (not as converted: "abc", not NaN). */
function describe(error: ValidationError, given: string | undefined, secret: boolean): string {
  const reasons = Object.values(error.constraints ?? {});
  const shown = given === undefined || secret ? '' : ` (got ${JSON.stringify(given)})`;
  return `${error.property}: ${reasons.join('; ')}${shown}`;
}

/**
 * Builds a typed class of variables (the core's Env, or a feature's config slice) from a raw variable
 * map: only the class's own keys are read, empty strings count as unset (so a compose file's `${VAR:-}`
 * falls back to the default), and every bad variable is reported, by name, at once.
 */
export function readVariables<T extends object>(
  type: Type<T>,
  source: Record<string, string | undefined>,
  secrets: ReadonlySet<string> = SECRETS,
): { value: T; problems: string[] } {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(new type())) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const value = plainToInstance(type, picked, { exposeDefaultValues: true });
  const problems = validateSync(value, { forbidUnknownValues: false }).map((error) =>
    describe(error, picked[error.property], secrets.has(error.property)),
  );
  return { value, problems };
}

/**
 * The core's Env from a raw variable map; boot stops with every bad variable named, the core's and those
 * of the config slices the application mounts (`sliceProblems`).
 */
export function validateEnv(source: Record<string, string | undefined>, sliceProblems: readonly string[] = []): Env {
  const { value: env, problems } = readVariables(Env, source);
  problems.push(...sliceProblems);
  if (env.NODE_ENV === NodeEnv.Production && env.WEBHOOK_ALLOW_UNSIGNED === true) {
    problems.push('WEBHOOK_ALLOW_UNSIGNED: unsigned webhook deliveries cannot be accepted in production');
  }
  problems.push(...checkGithubApp(env));
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return env;
}
