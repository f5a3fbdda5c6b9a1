import type { AgentResult, Decision, OnFailure } from '../review.model';

/** What each reviewer of a run failing means for the decision, by reviewer id (manual_review when absent). */
export type FailurePolicy = ReadonlyMap<string, OnFailure>;

/**
 * The original BSM's rules, with the outages made explicit: a reviewer with the power to block
 * (its definition declares block_pr) that blocks, or reports a critical finding → block_pr; any
 * request for changes (a block from a reviewer without that power counts as one) → request_changes;
 * every reviewer ran and approved → approve; otherwise manual_review. A failed reviewer counts as its
 * `onFailure` says (block, manual_review — the default — or ignore), so an outage never silently
 * blocks or approves; a skipped reviewer (provider not configured) means the review is incomplete:
 * manual_review, with the reviewer listed. Nothing is approved blind: anything the review could not look at
 * (`notReviewed`), or an LLM agent that answered without the structured verdict (`unknown`), makes it
 * manual_review naming what is missing, unless it is already blocked or changes are requested.
 */
export function decide(results: readonly AgentResult[], onFailure: FailurePolicy, notReviewed: readonly string[] = []): Decision {
  const reasons: string[] = [];
  const skippedAgents = results.filter((r) => r.status === 'skipped').map((r) => r.agentId);
  let action: Decision['action'] | null = null;

  const blockers = results.filter(
    (r) => r.status === 'success' && r.powers.block && (r.verdict === 'block' || r.findings.some((f) => f.severity === 'critical')),
  );
  const failedBlocking = results.filter((r) => r.status === 'failed' && onFailure.get(r.agentId) === 'block');
  if (blockers.length > 0 || failedBlocking.length > 0) {
    action = 'block_pr';
    for (const r of blockers) reasons.push(`${r.agentId}: ${r.findings.find((f) => f.severity === 'critical')?.message ?? r.output.slice(0, 200)}`);
    for (const r of failedBlocking) reasons.push(`${r.agentId} failed (${r.reason ?? 'error'}) and its onFailure is block`);
  }
  const changes = results.filter((r) => r.status === 'success' && (r.verdict === 'request_changes' || r.verdict === 'block'));
  if (!action && changes.length > 0) {
    action = 'request_changes';
    for (const r of changes) reasons.push(`${r.agentId}: ${r.findings[0]?.message ?? r.output.slice(0, 200)}`);
  }
  const failedReview = results.filter((r) => r.status === 'failed' && onFailure.get(r.agentId) !== 'ignore' && onFailure.get(r.agentId) !== 'block');
  const unknown = results.filter((r) => r.status === 'success' && r.verdict === 'unknown');
  if (!action && (notReviewed.length > 0 || failedReview.length > 0 || skippedAgents.length > 0 || unknown.length > 0)) {
    action = 'manual_review';
    for (const what of notReviewed) reasons.push(`not reviewed: ${what}`);
    for (const r of failedReview) reasons.push(`${r.agentId} failed: ${r.reason ?? 'error'}`);
    for (const r of unknown) reasons.push(`${r.agentId} answered without the structured verdict asked for, so its review cannot approve`);
    if (skippedAgents.length > 0) reasons.push(`not reviewed by ${skippedAgents.join(', ')} (skipped)`);
  }
  const ran = results.filter((r) => r.status === 'success');
  if (!action && ran.length === 0) {
    action = 'manual_review';
    reasons.push('no agent produced a review');
  }
  if (!action) {
    action = 'approve';
    reasons.push(`approved by ${ran.map((r) => r.agentId).join(', ')}`);
  }
  return { action, reason: reasons[0], reasons, skippedAgents, automated: true };
}
