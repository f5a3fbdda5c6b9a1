import { decide } from './decision-engine';
import type { EventAgent } from './events/events-config';
import type { AgentResult, Finding } from './orchestrator.model';

const result = (agentId: string, status: AgentResult['status'], verdict?: AgentResult['verdict'], findings: Finding[] = []): AgentResult => ({
  agentId,
  kind: 'analyzer',
  status,
  verdict,
  output: `${agentId} output`,
  findings,
  metadata: { intent: 'review_pr', action: 'review_pr', allowed: true },
  executionTime: 1,
  ...(status === 'failed' ? { reason: 'boom' } : {}),
});
const agents = (...ids: (string | EventAgent)[]): EventAgent[] => ids.map((id) => (typeof id === 'string' ? { id, onFailure: 'manual_review' } : id));

describe('decide', () => {
  it('blocks on a governance block or a critical security finding', () => {
    expect(decide([result('governance-review-agent', 'success', 'block'), result('code-review-agent', 'success', 'approve')], agents('governance-review-agent', 'code-review-agent')).action).toBe('block_pr');
    const critical = result('security-agent', 'success', 'block', [{ severity: 'critical', message: 'Secret committed: ghp_***' }]);
    expect(decide([critical], agents('security-agent'))).toMatchObject({ action: 'block_pr', reason: 'security-agent: Secret committed: ghp_***' });
  });

  it('requests changes when any agent does (an llm "block" counts as request changes)', () => {
    expect(decide([result('code-review-agent', 'success', 'block'), result('security-agent', 'success', 'approve')], agents('code-review-agent', 'security-agent')).action).toBe('request_changes');
  });

  it('approves only when every agent ran and approved', () => {
    expect(decide([result('a', 'success', 'approve'), result('b', 'success', 'approve')], agents('a', 'b'))).toMatchObject({ action: 'approve', skippedAgents: [] });
    expect(decide([result('a', 'success', 'approve'), result('b', 'skipped')], agents('a', 'b'))).toMatchObject({ action: 'manual_review', skippedAgents: ['b'] });
    expect(decide([result('a', 'skipped')], agents('a')).action).toBe('manual_review');
  });

  it('treats a failed agent as its onFailure says', () => {
    const ok = result('b', 'success', 'approve');
    expect(decide([result('a', 'failed'), ok], agents({ id: 'a', onFailure: 'block' }, 'b')).action).toBe('block_pr');
    expect(decide([result('a', 'failed'), ok], agents('a', 'b')).action).toBe('manual_review');
    expect(decide([result('a', 'failed'), ok], agents({ id: 'a', onFailure: 'ignore' }, 'b')).action).toBe('approve');
  });
});
