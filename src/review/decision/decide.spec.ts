import type { AgentResult, Finding, OnFailure } from '../review.model';
import { decide } from './decide';

const result = (
  agentId: string,
  status: AgentResult['status'],
  verdict?: AgentResult['verdict'],
  findings: Finding[] = [],
  block = false,
): AgentResult => ({
  agentId,
  kind: 'analyzer',
  status,
  verdict,
  output: `${agentId} output`,
  findings,
  metadata: { intent: 'review_pr', action: 'review_pr', allowed: true },
  powers: { block, remember: false },
  executionTime: 1,
  ...(status === 'failed' ? { reason: 'boom' } : {}),
});
const policy = (entries: Record<string, OnFailure> = {}) => new Map(Object.entries(entries));

describe('decide', () => {
  it('blocks when a reviewer with the power to block blocks or reports a critical finding', () => {
    expect(decide([result('policy-gate', 'success', 'block', [], true), result('code-review-agent', 'success', 'approve')], policy()).action).toBe('block_pr');
    const critical = result('scanner', 'success', 'request_changes', [{ severity: 'critical', message: 'Secret committed: ghp_***' }], true);
    expect(decide([critical], policy())).toMatchObject({ action: 'block_pr', reason: 'scanner: Secret committed: ghp_***' });
  });

  it('reads a block from a reviewer without that power as a request for changes, whatever its name', () => {
    expect(decide([result('security-agent', 'success', 'block'), result('governance-agent', 'success', 'approve')], policy()).action).toBe('request_changes');
    const critical = result('security-agent', 'success', 'block', [{ severity: 'critical', message: 'bad' }]);
    expect(decide([critical], policy()).action).toBe('request_changes');
  });

  it('approves only when every agent ran and approved', () => {
    expect(decide([result('a', 'success', 'approve'), result('b', 'success', 'approve')], policy())).toMatchObject({ action: 'approve', skippedAgents: [] });
    expect(decide([result('a', 'success', 'approve'), result('b', 'skipped')], policy())).toMatchObject({ action: 'manual_review', skippedAgents: ['b'] });
    expect(decide([result('a', 'skipped')], policy()).action).toBe('manual_review');
  });

  it('treats a failed agent as its onFailure says', () => {
    const ok = result('b', 'success', 'approve');
    expect(decide([result('a', 'failed'), ok], policy({ a: 'block' })).action).toBe('block_pr');
    expect(decide([result('a', 'failed'), ok], policy()).action).toBe('manual_review');
    expect(decide([result('a', 'failed'), ok], policy({ a: 'ignore' })).action).toBe('approve');
  });
  it('never approves what was not reviewed, nor an LLM answer without the structured verdict', () => {
    const ok = result('a', 'success', 'approve');
    expect(decide([ok], policy(), ['no diff'])).toMatchObject({ action: 'manual_review', reason: 'not reviewed: no diff' });
    const freeText = { ...result('llm', 'success', 'unknown'), kind: 'llm' as const };
    expect(decide([ok, freeText], policy())).toMatchObject({ action: 'manual_review', reason: expect.stringContaining('llm answered without the structured verdict') });
    // What is found still counts: a block or a request for changes stands.
    expect(decide([result('a', 'success', 'request_changes'), freeText], policy(), ['big.ts: no patch']).action).toBe('request_changes');
    expect(decide([result('gate', 'success', 'block', [], true)], policy(), ['no diff']).action).toBe('block_pr');
  });
});
