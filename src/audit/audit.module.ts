import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { DrizzleAuditLog } from './drizzle-audit-log';

@Global()
@Module({
  controllers: [AuditController],
  providers: [{ provide: AuditLog, useClass: DrizzleAuditLog }, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
