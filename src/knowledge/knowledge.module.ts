import { Module } from '@nestjs/common';
import { DataFiles, FsDataFiles } from '../infra/data/data-files';
import { AdminKnowledgeController } from './admin-knowledge.controller';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeService } from './knowledge.service';

@Module({
  controllers: [KnowledgeController, AdminKnowledgeController],
  providers: [KnowledgeService, { provide: DataFiles, useClass: FsDataFiles }],
  exports: [KnowledgeService],
})
export class KnowledgeModule {}
