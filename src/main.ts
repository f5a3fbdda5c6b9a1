import { BootError } from './infra/lifecycle/boot-error';
import { serve } from './serve';

serve({ env: process.env }).catch((error: unknown) => {
  const message =
    error instanceof BootError ? error.message : `BSM failed to start: ${(error as Error)?.stack ?? error}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
