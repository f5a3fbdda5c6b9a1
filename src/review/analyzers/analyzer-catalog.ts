import { Analyzer } from './analyzer';

/** The analyzers a review can run, by name. */
export abstract class AnalyzerCatalog {
  abstract find(name: string): Analyzer | undefined;
  abstract names(): string[];
}

/** A fixed set of analyzers: for callers without Nest (a CLI, a script, a test). */
export class StaticAnalyzerCatalog extends AnalyzerCatalog {
  private readonly byName: Map<string, Analyzer>;

  constructor(analyzers: readonly Analyzer[]) {
    super();
    this.byName = new Map();
    for (const analyzer of analyzers) {
      const other = this.byName.get(analyzer.name);
      if (other && other !== analyzer) throw new Error(`two analyzers are named "${analyzer.name}"`);
      this.byName.set(analyzer.name, analyzer);
    }
  }

  find(name: string): Analyzer | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
