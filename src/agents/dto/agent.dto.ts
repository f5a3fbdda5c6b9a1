import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { AGENT_CONTEXTS } from '../agent.model';

export class ListAgentsQueryDto {
  @ApiPropertyOptional({ enum: AGENT_CONTEXTS, example: 'chat', description: 'Keep agents whose contexts.allowed contains this mode' })
  @IsOptional()
  @IsString()
  mode?: string;
}

export class GovernanceDto {
  @ApiProperty({ enum: ['registry'] }) source: 'registry';
  @ApiProperty({ example: 'conversational' }) category: string;
  @ApiProperty({ example: { allowed: ['chat', 'api'] } }) contexts: { allowed: string[] };
  @ApiPropertyOptional({ example: { mode: 'safe', requires_approval: false }, nullable: true }) safety: unknown;
  @ApiProperty({ example: { level: 'low', rationale: 'Answers questions; changes nothing' } }) risk: unknown;
  @ApiProperty({ example: { required: false, type: 'none', approvers: [] } }) approval: unknown;
  @ApiProperty({ example: { selectable: true, internal_only: false } }) expose: unknown;
  @ApiProperty({ example: { auto_start: false, allowed_profiles: ['development', 'staging', 'production'] } }) startup: unknown;
  @ApiProperty({ example: { endpoint: '/api/agents/chat-assistant/health', interval_seconds: 60 } }) healthcheck: unknown;
}

export class AgentDto {
  @ApiProperty({ example: 'code-review-agent' }) id: string;
  @ApiProperty({ example: 'Code Review Agent' }) name: string;
  @ApiPropertyOptional() role?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'number' }, { type: 'string' }] }) version?: number | string;
  @ApiProperty({ example: 'openai' }) modelProvider: string;
  @ApiPropertyOptional({ example: 'bsm' }) modelKey?: string;
  @ApiPropertyOptional({ example: 'gpt-4o-mini' }) modelName?: string;
  @ApiPropertyOptional({ type: [String] }) capabilities?: string[];
  @ApiPropertyOptional({ type: [String], example: ['review_pr', 'request_changes'] }) actions?: string[];
  @ApiPropertyOptional() instructions?: string;
  @ApiProperty({ enum: ['llm', 'analyzer'] }) kind: 'llm' | 'analyzer';
  @ApiPropertyOptional({ example: 'security' }) analyzer?: string;
  @ApiPropertyOptional({ example: { allowed: ['api', 'ci', 'github'] } }) contexts?: unknown;
  @ApiProperty({ example: 'agents/code-review-agent.yaml' }) file: string;
  @ApiProperty({ type: GovernanceDto, nullable: true, description: 'null when the registry has no entry for the agent' })
  governance: GovernanceDto | null;
}

export class AgentListDto {
  @ApiProperty({ type: [AgentDto] }) agents: AgentDto[];
  @ApiProperty({ example: 10 }) count: number;
  @ApiProperty({ enum: ['strict', 'permissive'] }) registryMode: 'strict' | 'permissive';
}

export class AgentStateDto {
  @ApiProperty({ example: 'legal-agent' }) id: string;
  @ApiProperty({ enum: ['running', 'stopped'] }) status: 'running' | 'stopped';
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) uptimeSeconds: number | null;
}

export class AgentStatesDto {
  @ApiProperty({ type: [AgentStateDto] }) agents: AgentStateDto[];
  @ApiProperty({ example: 1 }) running: number;
}

export class AgentHealthDto {
  @ApiProperty({ example: 'legal-agent' }) id: string;
  @ApiProperty({ enum: ['healthy'] }) status: 'healthy';
  @ApiProperty({ enum: ['running', 'stopped'] }) state: 'running' | 'stopped';
  @ApiProperty({ enum: ['registry', 'none'] }) governance: 'registry' | 'none';
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
}

export class AdminAgentsDto extends AgentListDto {
  @ApiProperty({ type: [String], description: 'Agents with no registry entry', example: ['agent-auto'] }) ungoverned: string[];
  @ApiProperty({ type: [String], description: 'Registry entries naming no agent file' }) unmatchedRegistryEntries: string[];
}

