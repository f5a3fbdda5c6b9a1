import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StorageModule } from '../infra/storage/storage.module';
import { DrizzleReviewStore } from './drizzle-review-store';
import { ReviewMemory } from './ports/review-memory';
import { ReviewStore } from './ports/review-store';
import { VectorController } from './vector.controller';
import { VectorMemoryService } from './vector-memory.service';
import { VectorIndexHealthIndicator } from './vector.health';

@Module({
  imports: [TerminusModule, StorageModule],
  controllers: [VectorController],
  providers: [
    { provide: ReviewStore, useClass: DrizzleReviewStore },
    VectorMemoryService,
    { provide: ReviewMemory, useExisting: VectorMemoryService },
    VectorIndexHealthIndicator,
  ],
  exports: [ReviewMemory, VectorMemoryService],
})
export class VectorModule {}
