import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { GuardsModule } from '../common/guards/guards.module';
import { AppCacheModule } from '../infra/cache/cache.module';
import { CacheController } from './cache.controller';
import { CacheService } from './cache.service';

@Module({ imports: [AppCacheModule, AuditModule, GuardsModule], controllers: [CacheController], providers: [CacheService] })
export class CacheApiModule {}
