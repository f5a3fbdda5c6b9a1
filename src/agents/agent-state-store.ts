import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { Database } from '../infra/storage/database';
import { agentRuns } from './agents.schema';

/** Port: which agents are running, shared by every instance (started on one, stopped on another). */
export abstract class AgentStateStore {
  /** Marks the agent running; null when it already was. */
  abstract start(id: string): Promise<Date | null>;
  /** false when it was not running. */
  abstract stop(id: string): Promise<boolean>;
  /** When each running agent started. */
  abstract running(): Promise<Map<string, Date>>;
}

@Injectable()
export class DrizzleAgentStateStore extends AgentStateStore {
  constructor(private readonly database: Database) {
    super();
  }

  async start(id: string): Promise<Date | null> {
    const [row] = await this.database.db.insert(agentRuns).values({ agentId: id }).onConflictDoNothing().returning({ startedAt: agentRuns.startedAt });
    return row?.startedAt ?? null;
  }

  async stop(id: string): Promise<boolean> {
    const rows = await this.database.db.delete(agentRuns).where(eq(agentRuns.agentId, id)).returning({ agentId: agentRuns.agentId });
    return rows.length > 0;
  }

  async running(): Promise<Map<string, Date>> {
    const rows = await this.database.db.select().from(agentRuns);
    return new Map(rows.map((row) => [row.agentId, row.startedAt]));
  }
}
