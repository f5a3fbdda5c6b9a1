import { Module } from '@nestjs/common';
import { GuardsModule } from '../common/guards/guards.module';
import { StorageModule } from '../infra/storage/storage.module';
import { AuditLog } from './audit-log';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { DrizzleAuditLog } from './drizzle-audit-log';

@Module({
  imports: [StorageModule, GuardsModule],
  controllers: [AuditController],
  providers: [{ provide: AuditLog, useClass: DrizzleAuditLog }, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
