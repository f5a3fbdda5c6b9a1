import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { GptModule } from '../gpt/gpt.module';
import { DataFiles, FsDataFiles } from '../infra/data/data-files';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { VectorModule } from '../vector/vector.module';
import { AgentExecutor } from './agent-executor.service';
import { GovernanceAnalyzer } from './analyzers/governance.analyzer';
import { SecretScanner } from './analyzers/secret-scanner';
import { SecurityAnalyzer } from './analyzers/security.analyzer';
import { EventsService } from './events/events.service';
import { DrizzleOverrideStore, OverrideStore } from './events/override-store';
import { DrizzleJobStore } from './jobs/drizzle-job-store';
import { JobRunner } from './jobs/job-runner.service';
import { JobStore } from './jobs/job-store';
import { OrchestratorController } from './orchestrator.controller';
import { OrchestratorMetrics } from './orchestrator.metrics';
import { OrchestratorService } from './orchestrator.service';
import { FsReportWriter, ReportWriter } from './reports/report-writer';
import { ReportsController } from './reports/reports.controller';
import { GitHubClient } from './github/github-client';
import { OctokitGitHubClient } from './github/octokit-github-client';
import { RetentionService } from './retention.service';
import { WebhookSignatureVerifier } from './webhooks/webhook-signature.verifier';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

/**
 * Event-driven agent runs: strategies per event, jobs in storage under leases, analyzers
 * (found by type: any Analyzer in the app) and LLM agents, decisions, reports, memory.
 */
@Module({
  imports: [DiscoveryModule, AgentsModule, AuditModule, GptModule, KnowledgeModule, VectorModule],
  controllers: [OrchestratorController, ReportsController, WebhooksController],
  providers: [
    { provide: DataFiles, useClass: FsDataFiles },
    { provide: OverrideStore, useClass: DrizzleOverrideStore },
    { provide: JobStore, useClass: DrizzleJobStore },
    { provide: ReportWriter, useClass: FsReportWriter },
    { provide: GitHubClient, useClass: OctokitGitHubClient },
    SecretScanner,
    SecurityAnalyzer,
    GovernanceAnalyzer,
    EventsService,
    AgentExecutor,
    OrchestratorMetrics,
    OrchestratorService,
    JobRunner,
    WebhookSignatureVerifier,
    WebhooksService,
    RetentionService,
  ],
  exports: [OrchestratorService, JobRunner, WebhookSignatureVerifier, JobStore],
})
export class OrchestratorModule {}
