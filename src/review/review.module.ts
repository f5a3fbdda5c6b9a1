import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigSliceModule } from '../infra/config/config-slice';
import { BootError } from '../infra/lifecycle/boot-error';
import { AnalyzerCatalog } from './analyzers/analyzer-catalog';
import { DiscoveredAnalyzers } from './analyzers/discovered-analyzers';
import { GovernanceAnalyzer } from './analyzers/governance.analyzer';
import { SecurityAnalyzer } from './analyzers/security.analyzer';
import { ReviewConfig } from './review.config';
import { ReviewEngine } from './review-engine';
import { loadSecretRules, SecretRulesError } from './secrets/secret-rules';
import { SecretScanner } from './secrets/secret-scanner';

/** The secret rules load at boot, so a bad SECRET_RULES_PATH stops BSM with the file, rule and key named. */
async function secretScanner(config: ReviewConfig): Promise<SecretScanner> {
  try {
    return new SecretScanner(await loadSecretRules(config.SECRET_RULES_PATH));
  } catch (error) {
    if (error instanceof SecretRulesError) throw new BootError('Secret rules (SECRET_RULES_PATH)', error.problems);
    throw error;
  }
}

/** The review engine with the built-in analyzers; analyzers declared anywhere in the app join them. */
@Module({
  imports: [DiscoveryModule, ConfigSliceModule.forFeature(ReviewConfig)],
  providers: [
    { provide: SecretScanner, inject: [ReviewConfig], useFactory: secretScanner },
    SecurityAnalyzer,
    GovernanceAnalyzer,
    { provide: AnalyzerCatalog, useClass: DiscoveredAnalyzers },
    ReviewEngine,
  ],
  exports: [ReviewEngine],
})
export class ReviewModule {}
