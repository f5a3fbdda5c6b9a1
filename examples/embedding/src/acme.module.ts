import { Module } from '@nestjs/common';
import { EchoProvider } from './echo.provider';
import { LedgerHealth } from './ledger.health';
import { LicenseAnalyzer } from './license.analyzer';
import { TicketsModule } from './tickets.module';

/** Everything Acme adds to BSM, mounted with `serve({ env, modules: [AcmeModule] })`. */
@Module({
  imports: [TicketsModule],
  providers: [LicenseAnalyzer, EchoProvider, LedgerHealth],
})
export class AcmeModule {}
