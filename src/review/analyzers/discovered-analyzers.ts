import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BootError } from '../../infra/lifecycle/boot-error';
import { Analyzer } from './analyzer';
import { AnalyzerCatalog, StaticAnalyzerCatalog } from './analyzer-catalog';

/** Every Analyzer provider in the app, found at boot: an embedding codebase adds one by declaring it. */
@Injectable()
export class DiscoveredAnalyzers extends AnalyzerCatalog implements OnModuleInit {
  private catalog = new StaticAnalyzerCatalog([]);

  constructor(private readonly discovery: DiscoveryService) {
    super();
  }

  onModuleInit(): void {
    const found = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is Analyzer => instance instanceof Analyzer);
    try {
      this.catalog = new StaticAnalyzerCatalog(found);
    } catch (error) {
      throw new BootError('Analyzers', [(error as Error).message]);
    }
  }

  find(name: string): Analyzer | undefined {
    return this.catalog.find(name);
  }

  names(): string[] {
    return this.catalog.names();
  }
}
