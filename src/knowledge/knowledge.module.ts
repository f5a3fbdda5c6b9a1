import { Module } from '@nestjs/common';
import { GuardsModule } from '../common/guards/guards.module';
import { AppCacheModule } from '../infra/cache/cache.module';
import { DataFilesModule } from '../infra/data/data-files.module';
import { AdminKnowledgeController } from './admin-knowledge.controller';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeService } from './knowledge.service';

@Module({
  imports: [DataFilesModule, AppCacheModule, GuardsModule],
  controllers: [KnowledgeController, AdminKnowledgeController],
  providers: [KnowledgeService],
  exports: [KnowledgeService],
})
export class KnowledgeModule {}
