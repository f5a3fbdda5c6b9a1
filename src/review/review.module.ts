import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AnalyzerCatalog } from './analyzers/analyzer-catalog';
import { DiscoveredAnalyzers } from './analyzers/discovered-analyzers';
import { GovernanceAnalyzer } from './analyzers/governance.analyzer';
import { SecurityAnalyzer } from './analyzers/security.analyzer';
import { ReviewEngine } from './review-engine';
import { SecretScanner } from './secrets/secret-scanner';

/** The review engine with the built-in analyzers; analyzers declared anywhere in the app join them. */
@Module({
  imports: [DiscoveryModule],
  providers: [
    SecretScanner,
    SecurityAnalyzer,
    GovernanceAnalyzer,
    { provide: AnalyzerCatalog, useClass: DiscoveredAnalyzers },
    ReviewEngine,
  ],
  exports: [ReviewEngine],
})
export class ReviewModule {}
