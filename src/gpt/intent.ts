import type { AgentAction } from '../agents/agent.model';

export type Intent = 'create_agent' | 'update_file';

/** The action each intent needs in the agent's `actions`, as in the original BSM. */
export const INTENT_ACTIONS: Record<Intent, AgentAction> = {
  create_agent: 'create_file',
  update_file: 'update_file',
};

const PATTERNS: [Intent, RegExp][] = [
  ['create_agent', /\b(create|make|build|add|set up)\b.{0,40}\bagents?\b|(أنشئ|انشئ|إنشاء|انشاء|اصنع).{0,30}وكيل/iu],
  ['update_file', /\b(update|edit|modify|change|rewrite)\b.{0,40}\bfiles?\b|(عدّل|عدل|تعديل|حدّث|حدث|تحديث).{0,30}ملف/iu],
];

/** What a message asks the agent to do, when that needs a permission. A check only: nothing is executed. */
export function detectIntent(text: string): Intent | null {
  return PATTERNS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
}
