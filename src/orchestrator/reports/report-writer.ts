import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../infra/config/env.schema';
import { resolveUnder } from '../../infra/data/data-files';
import type { Strategy } from '../events/events-config';
import type { AgentResult, Decision, ReviewInput } from '../orchestrator.model';

export interface JobReport {
  jobId: string;
  event: string;
  strategy: Pick<Strategy, 'execution' | 'description'> & { agents: string[] };
  input: Pick<ReviewInput, 'repo' | 'pr'> & { files: string[] };
  results: AgentResult[];
  decision: Decision;
  startedAt: string;
  finishedAt: string;
}

/** Port: where job reports go. */
export abstract class ReportWriter {
  /** Writes the Markdown and JSON reports; returns the report's name. */
  abstract write(report: JobReport): Promise<string>;
  abstract read(jobId: string): Promise<{ json: JobReport; markdown: string } | null>;
  abstract remove(jobId: string): Promise<void>;
}

export function markdownOf(report: JobReport): string {
  const { decision, input } = report;
  const pr = input.pr.number === null ? 'a run' : `PR #${input.pr.number}`;
  const ran = report.results.filter((r) => r.status !== 'skipped').length;
  const lines = [
    `# ${decision.action.replace('_', ' ').toUpperCase()}: ${pr}${input.repo ? ` in ${input.repo}` : ''}`,
    '',
    `- Event: \`${report.event}\` (${report.strategy.execution}) ${report.strategy.description}`,
    `- Title: ${input.pr.title || '(none)'}`,
    `- Files: ${input.files.length}; coverage: ${ran} of ${report.results.length} agents ran`,
    `- Started ${report.startedAt}, finished ${report.finishedAt}`,
    '',
    '## Decision',
    '',
    `**${decision.action}** — ${decision.reason}`,
    '',
    ...decision.reasons.map((r) => `- ${r}`),
    ...(decision.skippedAgents.length ? ['', `Skipped: ${decision.skippedAgents.join(', ')}`] : []),
    '',
    '## Agents',
    '',
    '| agent | kind | status | verdict | time ms | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.results.map(
      (r) => `| ${r.agentId} | ${r.kind} | ${r.status} | ${r.verdict ?? '-'} | ${r.executionTime} | ${(r.reason ?? r.output).replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 160)} |`,
    ),
    '',
    '## Findings',
    '',
  ];
  const findings = report.results.flatMap((r) => r.findings.map((f) => ({ agent: r.agentId, ...f })));
  if (findings.length === 0) lines.push('None.');
  for (const f of findings) {
    const where = f.file ? `\`${f.file}${f.line ? `:${f.line}` : ''}\`` : '(pull request)';
    lines.push(`- **${f.severity}** ${where} ${f.message}${f.rule ? ` [${f.rule}]` : ''} — ${f.agent}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reports as files under REPORTS_DIR, written atomically (temp file, fsync, rename). */
@Injectable()
export class FsReportWriter extends ReportWriter {
  private readonly dir: string;

  constructor(config: ConfigService<Env, true>) {
    super();
    this.dir = resolve(config.get('REPORTS_DIR', { infer: true }));
  }

  async write(report: JobReport): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    await this.atomicWrite(`${report.jobId}.json`, `${JSON.stringify(report, null, 2)}\n`);
    await this.atomicWrite(`${report.jobId}.md`, markdownOf(report));
    return report.jobId;
  }

  private async atomicWrite(name: string, content: string): Promise<void> {
    const target = join(this.dir, name);
    const temp = join(this.dir, `.${name}.${randomUUID()}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(jobId: string): Promise<void> {
    await Promise.all(['json', 'md'].map((ext) => rm(resolveUnder(this.dir, `${jobId}.${ext}`), { force: true })));
  }

  async read(jobId: string): Promise<{ json: JobReport; markdown: string } | null> {
    try {
      const [json, markdown] = await Promise.all([
        readFile(resolveUnder(this.dir, `${jobId}.json`), 'utf8'),
        readFile(resolveUnder(this.dir, `${jobId}.md`), 'utf8'),
      ]);
      return { json: JSON.parse(json) as JobReport, markdown };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
