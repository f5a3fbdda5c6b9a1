import { BootError, serve } from 'bsm';
import { AcmeModule } from './acme.module';

serve({ env: process.env, modules: [AcmeModule] }).catch((error: unknown) => {
  process.stderr.write(`${error instanceof BootError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
