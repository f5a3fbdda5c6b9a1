import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { Database } from '../../infra/storage/database';
import { orchestratorOverrides } from '../orchestrator.schema';
import type { Strategy } from './events-config';

/** Port: runtime overrides of event strategies. */
export abstract class OverrideStore {
  abstract all(): Promise<Strategy[]>;
  abstract put(strategy: Strategy): Promise<void>;
  /** false when there was none. */
  abstract delete(event: string): Promise<boolean>;
}

@Injectable()
export class DrizzleOverrideStore extends OverrideStore {
  constructor(private readonly database: Database) {
    super();
  }

  async all(): Promise<Strategy[]> {
    const rows = await this.database.db.select().from(orchestratorOverrides).orderBy(orchestratorOverrides.event);
    return rows.map((row) => row.strategy as Strategy);
  }

  async put(strategy: Strategy): Promise<void> {
    await this.database.db
      .insert(orchestratorOverrides)
      .values({ event: strategy.event, strategy })
      .onConflictDoUpdate({ target: orchestratorOverrides.event, set: { strategy, updatedAt: new Date() } });
  }

  async delete(event: string): Promise<boolean> {
    const rows = await this.database.db.delete(orchestratorOverrides).where(eq(orchestratorOverrides.event, event)).returning();
    return rows.length > 0;
  }
}
