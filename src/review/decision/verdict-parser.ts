import { SEVERITIES, type Finding, type ReviewVerdict, type Severity, type Verdict } from '../review.model';

export interface ParsedVerdict {
  verdict: Verdict;
  score: number | null;
  summary: string;
  findings: Finding[];
  /** How the verdict was read: the JSON shape asked for, or the original keyword rules. */
  parsedBy: 'json' | 'keywords';
}

const VERDICTS: Record<string, ReviewVerdict> = { approve: 'approve', request_changes: 'request_changes', block: 'block', block_pr: 'block' };

function candidates(text: string): string[] {
  const fenced = [...text.matchAll(/```(?:json)?\s*\n?([\s\S]*?)```/g)].map((m) => m[1]);
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  return [...fenced, ...(first !== -1 && last > first ? [text.slice(first, last + 1)] : []), text];
}

function findingOf(raw: unknown): Finding | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const f = raw as Record<string, unknown>;
  if (typeof f.message !== 'string' || f.message.trim() === '') return null;
  const severity = String(f.severity ?? 'medium').toLowerCase();
  return {
    severity: (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : 'medium',
    message: f.message,
    ...(typeof f.file === 'string' ? { file: f.file } : {}),
    ...(Number.isInteger(f.line) ? { line: f.line as number } : {}),
  };
}

/**
 * Reads an LLM agent's answer: the JSON asked for (raw, fenced, or inside prose). Free text may only
 * escalate, by the original BSM's keywords (BLOCK/BLOCKED or CRITICAL → block, REQUEST_CHANGES → request
 * changes); it never approves: anything else is `unknown`, which the decision sends to a person.
 */
export function parseVerdict(text: string): ParsedVerdict {
  for (const candidate of candidates(text)) {
    try {
      const json = JSON.parse(candidate) as Record<string, unknown>;
      const verdict = VERDICTS[String(json.decision ?? '').toLowerCase()];
      if (!verdict) continue;
      return {
        verdict,
        score: typeof json.score === 'number' ? json.score : null,
        summary: typeof json.summary === 'string' ? json.summary : '',
        findings: Array.isArray(json.findings) ? json.findings.map(findingOf).filter((f): f is Finding => f !== null) : [],
        parsedBy: 'json',
      };
    } catch {
      // not JSON: try the next candidate
    }
  }
  const upper = text.toUpperCase();
  const verdict: Verdict = /\bBLOCK(ED)?\b|\bCRITICAL\b/.test(upper) ? 'block' : /\bREQUEST_CHANGES\b/.test(upper) ? 'request_changes' : 'unknown';
  return { verdict, score: null, summary: text.slice(0, 500), findings: [], parsedBy: 'keywords' };
}
