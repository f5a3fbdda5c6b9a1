import { plainToInstance } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateIf,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { Type } from 'class-transformer';
import { DataFileError } from '../infra/data/data-format';
import { AGENT_ACTIONS, AGENT_CONTEXTS, AGENT_ID_PATTERN, type AgentDefinition } from './agent.model';

class ContextsSchema {
  @IsOptional()
  @IsArray()
  @IsIn(AGENT_CONTEXTS, { each: true, message: `contexts.allowed entries must be one of ${AGENT_CONTEXTS.join(', ')}` })
  allowed?: string[];
}

class ApprovalSchema {
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @IsOptional()
  @IsString()
  type?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  approvers?: string[];
}

/**
 * An agent YAML file. Lenient where the original BSM's files are (most fields optional),
 * strict about types and about the action vocabulary.
 */
class AgentFileSchema {
  @IsString()
  @Matches(AGENT_ID_PATTERN, { message: 'id must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  id: string;

  @IsString()
  @MinLength(1)
  name: string;

  @IsOptional() @IsString() role?: string;
  @IsOptional() @IsString() description?: string;

  @IsOptional()
  @ValidateIf((_, value) => typeof value !== 'number')
  @IsString({ message: 'version must be a number or a string' })
  version?: number | string;

  @IsString()
  modelProvider: string;

  @IsOptional() @IsString() modelKey?: string;
  @IsOptional() @IsString() modelName?: string;

  @IsOptional() @IsArray() @IsString({ each: true }) capabilities?: string[];

  @IsOptional()
  @IsArray()
  @IsIn(AGENT_ACTIONS, { each: true, message: 'actions must come from the action vocabulary (see docs/extending.md)' })
  actions?: string[];

  @IsOptional() @IsString() instructions?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContextsSchema)
  contexts?: ContextsSchema;

  @IsOptional() @IsObject() safety?: Record<string, unknown>;
  @IsOptional() @IsObject() risk?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalSchema)
  approval?: ApprovalSchema;

  @IsOptional() @IsObject() expose?: Record<string, unknown>;
  @IsOptional() @IsObject() ownership?: Record<string, unknown>;
  @IsOptional() @IsObject() lifecycle?: Record<string, unknown>;
  @IsOptional() @IsObject() conditions?: Record<string, unknown>;
  @IsOptional() @IsString() status?: string;

  @IsIn(['llm', 'analyzer'], { message: 'kind must be llm or analyzer' })
  kind: 'llm' | 'analyzer';

  @ValidateIf((schema: AgentFileSchema) => schema.kind === 'analyzer' || schema.analyzer !== undefined)
  @IsString({ message: 'analyzer (the analyzer name) is required when kind is analyzer' })
  @MinLength(1)
  analyzer?: string;
}


function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const invalid =
      Array.isArray(error.value) && error.constraints && Object.keys(error.constraints).some((k) => k === 'isIn')
        ? ` (got ${JSON.stringify(error.value)})`
        : '';
    const own = error.constraints ? [`${field}: ${Object.values(error.constraints).join(', ')}${invalid}`] : [];
    return [...own, ...describe(error.children ?? [], field)];
  });
}

const KEEP = new Set([
  'id', 'name', 'role', 'description', 'version', 'modelProvider', 'modelKey', 'modelName', 'capabilities',
  'actions', 'instructions', 'contexts', 'safety', 'risk', 'approval', 'expose', 'ownership', 'lifecycle',
  'conditions', 'status', 'kind', 'analyzer',
]);

/** Validates one parsed agent YAML; errors name the file and each bad field. */
export function toAgentDefinition(file: string, raw: unknown): AgentDefinition {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DataFileError(file, ['an agent file must be a YAML mapping']);
  }
  const withDefaults = { ...(raw as Record<string, unknown>) };
  withDefaults.modelProvider ??= 'openai';
  withDefaults.kind ??= 'llm';
  const schema = plainToInstance(AgentFileSchema, withDefaults);
  const errors = validateSync(schema, { forbidUnknownValues: false });
  if (errors.length > 0) throw new DataFileError(file, describe(errors));
  const definition: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(withDefaults)) {
    if (KEEP.has(key) && value !== undefined && value !== null) definition[key] = value;
  }
  return definition as unknown as AgentDefinition;
}

