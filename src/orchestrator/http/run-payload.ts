import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import type { FieldError } from '../../common/http/validation';

const SHA = /^[0-9a-f]{7,40}$/i;

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

/**
 * What a run's payload must hold for the job to review something real: a `pull_request.*` event names its
 * repository, pull request and head commit (as GitHub's payload does), and `files`, when given, is GitHub's
 * list-files shape. The payload is otherwise free-form (GitHub adds fields over time), so this is a check of
 * the fields the review reads, not a schema of the payload.
 */
export function runPayloadProblems(event: string, payload: Record<string, unknown>): FieldError[] {
  const problems: FieldError[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `payload.${field}`, messages: [`payload.${field} ${message}`] });
  if (event.startsWith('pull_request.')) {
    const repo = at(payload, 'repository.full_name');
    if (typeof repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repo)) problem('repository.full_name', 'must be the repository as owner/name');
    const number = at(payload, 'pull_request.number');
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) problem('pull_request.number', 'must be a positive whole number');
    const sha = at(payload, 'pull_request.head.sha');
    if (typeof sha !== 'string' || !SHA.test(sha)) problem('pull_request.head.sha', 'must be the head commit SHA (hexadecimal)');
  }
  const files = payload.files;
  if (files === undefined) return problems;
  if (!Array.isArray(files)) {
    problem('files', 'must be an array of changed files ({ filename, status?, patch?, additions?, deletions? })');
    return problems;
  }
  files.forEach((file: unknown, i) => {
    if (file === null || typeof file !== 'object' || Array.isArray(file)) return problem(`files.${i}`, 'must be an object with a filename');
    const f = file as Record<string, unknown>;
    if (typeof f.filename !== 'string' || f.filename === '') problem(`files.${i}.filename`, 'must be a non-empty string');
    for (const key of ['status', 'patch'] as const) if (f[key] !== undefined && typeof f[key] !== 'string') problem(`files.${i}.${key}`, 'must be a string');
    for (const key of ['additions', 'deletions'] as const) {
      if (f[key] !== undefined && (typeof f[key] !== 'number' || !Number.isInteger(f[key]) || (f[key] as number) < 0)) problem(`files.${i}.${key}`, 'must be a whole number ≥ 0');
    }
  });
  return problems;
}

/** 400 VALIDATION_FAILED naming every field, in the shape the validation pipe uses. */
export function assertRunPayload(event: string, payload: Record<string, unknown>): void {
  const problems = runPayloadProblems(event, payload);
  if (problems.length > 0) {
    throw new DomainException(ErrorCode.ValidationFailed, problems.map((p) => p.messages.join('; ')).join('; '), { details: problems });
  }
}
