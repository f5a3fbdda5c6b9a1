import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { GuardsModule } from '../common/guards/guards.module';
import { DataFilesModule } from '../infra/data/data-files.module';
import { ResilienceModule } from '../infra/resilience/resilience.module';
import { QueueModule } from '../infra/queue/queue.module';
import { StorageModule } from '../infra/storage/storage.module';
import { GptModule } from '../gpt/gpt.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { ReviewModule } from '../review/review.module';
import { VectorModule } from '../vector/vector.module';
import { ReviewArchive } from './archive/review-archive.service';
import { GitHubDelivery } from './delivery/github-delivery.service';
import { EventsService } from './events/events.service';
import { DrizzleOverrideStore, OverrideStore } from './events/override-store';
import { GitHubClient } from './github/github-client';
import { OctokitGitHubClient } from './github/octokit-github-client';
import { OrchestratorController } from './http/orchestrator.controller';
import { ReportsController } from './http/reports.controller';
import { WebhooksController } from './http/webhooks.controller';
import { DeadLetters } from './intake/dead-letters.service';
import { JobFilesService } from './intake/job-files.service';
import { ReviewListService } from './intake/review-list.service';
import { ReviewsController } from './http/reviews.controller';
import { ReviewJobs } from './intake/review-jobs.service';
import { WebhookSignatureVerifier } from './intake/webhook-signature.verifier';
import { WebhooksService } from './intake/webhooks.service';
import { DrizzleJobStore } from './jobs/drizzle-job-store';
import { JobStore } from './jobs/job-store';
import { OrchestratorMetrics } from './metrics/orchestrator.metrics';
import { DrizzleReportStore, ReportStore } from './reports/report-store';
import { RetentionService } from './retention/retention.service';
import { AgentExecutor } from './run/agent-executor.service';
import { ReviewRun } from './run/review-run.service';
import { ReviewSource } from './run/review-source.service';
import { JobRunner } from './runner/job-runner.service';

/**
 * Pull-request reviews as jobs, flowing one way: http → intake (ReviewJobs, webhooks: the payload
 * read once into a stored review input) → queue (JobStore stores and queues in one transaction; pg-boss) → runner → run (the event's
 * agents, the review engine's decision) → delivery (GitHub) and archive (reports, review memory).
 */
@Module({
  imports: [StorageModule, QueueModule, ResilienceModule, DataFilesModule, GuardsModule, AgentsModule, AuditModule, GptModule, KnowledgeModule, VectorModule, ReviewModule],
  controllers: [OrchestratorController, ReportsController, ReviewsController, WebhooksController],
  providers: [
    { provide: OverrideStore, useClass: DrizzleOverrideStore },
    { provide: JobStore, useClass: DrizzleJobStore },
    { provide: ReportStore, useClass: DrizzleReportStore },
    { provide: GitHubClient, useClass: OctokitGitHubClient },
    EventsService,
    OrchestratorMetrics,
    ReviewJobs,
    DeadLetters,
    JobFilesService,
    ReviewListService,
    WebhooksService,
    WebhookSignatureVerifier,
    AgentExecutor,
    GitHubDelivery,
    ReviewArchive,
    ReviewRun,
    ReviewSource,
    JobRunner,
    RetentionService,
  ],
  exports: [ReviewJobs, JobRunner, WebhookSignatureVerifier, JobStore],
})
export class OrchestratorModule {}
