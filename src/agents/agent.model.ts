export const AGENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const AGENT_CONTEXTS = ['chat', 'api', 'github', 'ci', 'system', 'security', 'mobile'] as const;
export type AgentContext = (typeof AGENT_CONTEXTS)[number];

/** The original BSM's 31 actions plus update_file. */
export const AGENT_ACTIONS = [
  'alert_security_team', 'approve_pr', 'archive_old_issues', 'audit_configuration', 'audit_ios_ui', 'auto_merge',
  'block_pr', 'check_api_routes', 'check_safe_area_support', 'cleanup_stale_prs', 'create_file',
  'create_review_comment', 'deploy_staging', 'generate_audit_report', 'generate_fix_suggestion',
  'generate_health_report', 'generate_ios_report', 'generate_security_report', 'manual_review_request',
  'optimize_database', 'request_changes', 'review_pr', 'rollback_merge', 'run_tests', 'scan_vulnerabilities',
  'suggest_fixes', 'test_keyboard_behavior', 'validate_guards', 'validate_mobile_api_contract',
  'validate_structure', 'verify_ui_config', 'update_file',
] as const;
export type AgentAction = (typeof AGENT_ACTIONS)[number];

export type AgentKind = 'llm' | 'analyzer';

export interface RegistryEntry {
  id: string;
  name: string;
  category: string;
  role?: string;
  execution?: Record<string, unknown>;
  safety?: { mode?: string; requires_approval?: boolean };
  contexts: { allowed: string[] };
  expose: { selectable: boolean; internal_only: boolean };
  risk: { level: string; rationale: string };
  approval: { required: boolean; type: string; approvers: string[] };
  startup: { auto_start: boolean; allowed_profiles: string[] };
  healthcheck: { endpoint: string; interval_seconds: number };
}

/** The governance a registry entry imposes; these fields win over the agent's own YAML. */
export interface Governance {
  source: 'registry';
  category: string;
  contexts: RegistryEntry['contexts'];
  safety: RegistryEntry['safety'] | null;
  risk: RegistryEntry['risk'];
  approval: RegistryEntry['approval'];
  expose: RegistryEntry['expose'];
  startup: RegistryEntry['startup'];
  healthcheck: RegistryEntry['healthcheck'];
}

export interface AgentDefinition {
  id: string;
  name: string;
  role?: string;
  description?: string;
  version?: number | string;
  modelProvider: string;
  modelKey?: string;
  modelName?: string;
  capabilities?: string[];
  actions?: string[];
  instructions?: string;
  contexts?: { allowed?: string[] };
  safety?: Record<string, unknown>;
  risk?: Record<string, unknown>;
  approval?: { required?: boolean; type?: string; approvers?: string[] };
  expose?: Record<string, unknown>;
  ownership?: Record<string, unknown>;
  lifecycle?: Record<string, unknown>;
  conditions?: Record<string, unknown>;
  status?: string;
  kind: AgentKind;
  analyzer?: string;
}

/** An agent as served: its YAML with the registry's governance merged in. */
export interface Agent extends AgentDefinition {
  category?: string;
  startup?: RegistryEntry['startup'];
  healthcheck?: RegistryEntry['healthcheck'];
  /** The data file it came from, relative to DATA_DIR. */
  file: string;
  governance: Governance | null;
}

export type RegistryMode = 'strict' | 'permissive';

export interface AgentCatalog {
  agents: Agent[];
  registryMode: RegistryMode;
  /** Agents with no registry entry: listed, served with their own fields, and reported. */
  ungoverned: string[];
  /** Registry entries naming no agent file. */
  unmatchedRegistryEntries: string[];
}
