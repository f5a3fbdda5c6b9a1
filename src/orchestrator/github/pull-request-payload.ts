import type { ChangedFile, ReviewInput } from '../../review/review.model';

type Raw = Record<string, unknown>;
const obj = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {});
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The review input from a GitHub pull_request payload (plus `files`, in the list-files shape). */
export function reviewInputOf(event: string, payload: Raw): ReviewInput {
  const pr = obj(payload.pull_request);
  const files: ChangedFile[] = Array.isArray(payload.files)
    ? payload.files
        .map(obj)
        .filter((f) => typeof f.filename === 'string')
        .map((f) => ({
          filename: f.filename as string,
          status: str(f.status) || undefined,
          additions: num(f.additions),
          deletions: num(f.deletions),
          patch: str(f.patch) || undefined,
        }))
    : [];
  const sum = (key: 'additions' | 'deletions') => files.reduce((total, f) => total + (f[key] ?? 0), 0);
  return {
    event,
    repo: str(obj(payload.repository).full_name) || null,
    pr: {
      number: Number.isInteger(pr.number) ? (pr.number as number) : Number.isInteger(payload.number) ? (payload.number as number) : null,
      title: str(pr.title),
      body: str(pr.body),
      draft: pr.draft === true,
      author: str(obj(pr.user).login) || null,
      additions: typeof pr.additions === 'number' ? pr.additions : sum('additions'),
      deletions: typeof pr.deletions === 'number' ? pr.deletions : sum('deletions'),
      changedFiles: typeof pr.changed_files === 'number' ? pr.changed_files : files.length,
    },
    files,
  };
}
