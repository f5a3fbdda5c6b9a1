import { AGENT_CONTEXTS, AGENT_ID_PATTERN, type RegistryEntry } from '../agent.model';

export const REGISTRY_CATEGORIES = ['conversational', 'infra', 'system', 'security', 'audit'];
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'];
export const APPROVAL_TYPES = ['none', 'manual', 'automated'];
export const PROFILES = ['development', 'staging', 'production'];

type Check = (entry: Record<string, any>, ref: string, say: (problem: string) => void) => void;

const isObject = (value: unknown): value is Record<string, any> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The original BSM's registry rules, each reported rather than stopping at the first. */
const CHECKS: Check[] = [
  (e, ref, say) => {
    for (const field of ['id', 'name', 'category', 'contexts', 'expose', 'risk', 'approval', 'startup', 'healthcheck']) {
      if (e[field] === undefined || e[field] === null || e[field] === '') say(`${ref}: missing '${field}'`);
    }
  },
  (e, ref, say) => {
    if (typeof e.id === 'string' && !AGENT_ID_PATTERN.test(e.id)) say(`${ref}: id must match ^[a-z0-9][a-z0-9-]{0,63}$`);
  },
  (e, ref, say) => {
    if (e.category !== undefined && !REGISTRY_CATEGORIES.includes(e.category)) {
      say(`${ref}: invalid category '${e.category}' (one of ${REGISTRY_CATEGORIES.join(', ')})`);
    }
  },
  (e, ref, say) => {
    if (e.contexts === undefined) return;
    const allowed = e.contexts?.allowed;
    if (!Array.isArray(allowed) || allowed.length === 0) return say(`${ref}: contexts.allowed must be a non-empty list`);
    for (const context of allowed) {
      if (!(AGENT_CONTEXTS as readonly string[]).includes(context)) {
        say(`${ref}: invalid context '${context}' (one of ${AGENT_CONTEXTS.join(', ')})`);
      }
    }
  },
  (e, ref, say) => {
    if (!isObject(e.expose)) return;
    for (const flag of ['selectable', 'internal_only']) {
      if (typeof e.expose[flag] !== 'boolean') say(`${ref}: expose.${flag} must be true or false`);
    }
    if (e.expose.internal_only === true && e.expose.selectable !== false) {
      say(`${ref}: internal_only agents must not be selectable`);
    }
  },
  (e, ref, say) => {
    if (!isObject(e.risk)) return;
    if (!RISK_LEVELS.includes(e.risk.level)) say(`${ref}: invalid risk.level '${e.risk.level}' (one of ${RISK_LEVELS.join(', ')})`);
    if (typeof e.risk.rationale !== 'string' || e.risk.rationale.trim().length < 10) {
      say(`${ref}: risk.rationale must be at least 10 characters`);
    }
    if (['high', 'critical'].includes(e.risk.level) && e.approval?.required !== true) {
      say(`${ref}: high and critical risk agents must require approval`);
    }
  },
  (e, ref, say) => {
    if (!isObject(e.approval)) return;
    if (typeof e.approval.required !== 'boolean') say(`${ref}: approval.required must be true or false`);
    if (!APPROVAL_TYPES.includes(e.approval.type)) {
      say(`${ref}: invalid approval.type '${e.approval.type}' (one of ${APPROVAL_TYPES.join(', ')})`);
    }
    if (!Array.isArray(e.approval.approvers)) say(`${ref}: approval.approvers must be a list`);
    else if (e.approval.required === true && e.approval.type !== 'none' && e.approval.approvers.length === 0) {
      say(`${ref}: approval.approvers must not be empty when approval is required`);
    }
  },
  (e, ref, say) => {
    if (!isObject(e.startup)) return;
    if (e.startup.auto_start !== false) say(`${ref}: startup.auto_start must be false (no agent starts by itself)`);
    const profiles = e.startup.allowed_profiles;
    if (!Array.isArray(profiles) || profiles.length === 0) return say(`${ref}: startup.allowed_profiles must be a non-empty list`);
    for (const profile of profiles) {
      if (!PROFILES.includes(profile)) say(`${ref}: invalid profile '${profile}' (one of ${PROFILES.join(', ')})`);
    }
  },
  (e, ref, say) => {
    if (!isObject(e.healthcheck)) return;
    const expected = `/api/agents/${e.id}/health`;
    if (e.healthcheck.endpoint !== expected) say(`${ref}: healthcheck.endpoint must be '${expected}'`);
    const interval = e.healthcheck.interval_seconds;
    if (typeof interval !== 'number' || interval < 30 || interval > 300) {
      say(`${ref}: healthcheck.interval_seconds must be a number from 30 to 300`);
    }
  },
  (e, ref, say) => {
    if (e.safety?.mode === 'destructive' && e.contexts?.allowed?.includes?.('mobile')) {
      say(`${ref}: destructive agents must not allow the mobile context`);
    }
  },
];

/** Every violation in the registry document; an empty list means it is valid. */
export function registryViolations(document: unknown): { entries: RegistryEntry[]; violations: string[] } {
  const violations: string[] = [];
  if (!isObject(document) || !Array.isArray(document.agents)) {
    return { entries: [], violations: ["the registry must be a mapping with an 'agents' list"] };
  }
  const seen = new Set<string>();
  document.agents.forEach((entry: unknown, index: number) => {
    const ref = `agents[${index}] (${isObject(entry) && typeof entry.id === 'string' ? entry.id : 'no id'})`;
    if (!isObject(entry)) return violations.push(`${ref}: must be a mapping`);
    if (typeof entry.id === 'string') {
      if (seen.has(entry.id)) violations.push(`${ref}: duplicate id`);
      seen.add(entry.id);
    }
    for (const check of CHECKS) check(entry, ref, (problem) => violations.push(problem));
  });
  return { entries: document.agents as RegistryEntry[], violations };
}
