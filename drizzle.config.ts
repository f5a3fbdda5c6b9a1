import { defineConfig } from 'drizzle-kit';

/** The core's tables live beside their features; their migrations are generated into drizzle/. */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/agents/agents.schema.ts', './src/audit/audit.schema.ts', './src/vector/vector.schema.ts', './src/orchestrator/orchestrator.schema.ts'],
  out: './drizzle',
});
