import { resolve } from 'node:path';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import MiniSearch from 'minisearch';
import { PinoLogger } from 'nestjs-pino';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { CacheRegistry } from '../infra/cache/cache-registry';
import type { CachedResource } from '../infra/cache/cached-resource';
import { DataWatcher } from '../infra/cache/data-watcher';
import type { Env } from '../infra/config/env.schema';
import { parseIndexFile } from '../infra/data/data-format';
import { DataFiles } from '../infra/data/data-files';
import { BootError } from '../infra/lifecycle/boot-error';
import type { KnowledgeDocument, KnowledgeHit } from './knowledge.model';

const SNIPPET_RADIUS = 80;

function titleOf(id: string, content: string): string {
  const heading = /^#\s+(.+)$/m.exec(content);
  return heading ? heading[1].trim() : id.replace(/\.[^.]+$/, '');
}

function snippetOf(content: string, terms: string[]): string {
  const lower = content.toLowerCase();
  const at = terms.map((term) => lower.indexOf(term.toLowerCase())).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(content.length, at + SNIPPET_RADIUS);
  return `${start > 0 ? '…' : ''}${content.slice(start, end).replace(/\s+/g, ' ').trim()}${end < content.length ? '…' : ''}`;
}

interface Indexed {
  loadedAt: number;
  documents: KnowledgeDocument[];
  byId: Map<string, KnowledgeDocument>;
  search: MiniSearch<KnowledgeDocument>;
}

/** Knowledge documents listed in DATA_DIR/knowledge/index.json, cached, with a full-text index rebuilt per version. */
@Injectable()
export class KnowledgeService implements OnModuleInit {
  private readonly dataDir: string;
  private readonly cache: CachedResource<KnowledgeDocument[]>;
  private indexed: Indexed | undefined;

  constructor(
    caches: CacheRegistry,
    private readonly files: DataFiles,
    private readonly watcher: DataWatcher,
    private readonly logger: PinoLogger,
    config: ConfigService<Env, true>,
  ) {
    logger.setContext(KnowledgeService.name);
    this.dataDir = resolve(config.get('DATA_DIR', { infer: true }));
    this.cache = caches.create('knowledge', config.get('CACHE_TTL_KNOWLEDGE_MS', { infer: true }), () => this.load());
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.cache.reload();
    } catch (error) {
      throw new BootError('Knowledge cannot load', [(error as Error).message]);
    }
    this.watcher.onChange(resolve(this.dataDir, 'knowledge'), async () => {
      const result = await this.cache.refresh();
      if (result.reloaded) this.logger.info('knowledge reloaded');
      else this.logger.warn({ err: result.error }, 'knowledge reload failed: keeping the last good documents');
    });
  }

  private async load(): Promise<KnowledgeDocument[]> {
    const index = 'knowledge/index.json';
    const names = parseIndexFile(index, await this.files.read(this.dataDir, index), 'documents');
    return Promise.all(
      names.map(async (name) => {
        const content = await this.files.read(this.dataDir, `knowledge/${name}`);
        return { id: name, title: titleOf(name, content), content, bytes: Buffer.byteLength(content) };
      }),
    );
  }

  private async current(): Promise<Indexed> {
    const entry = await this.cache.getEntry();
    if (this.indexed?.loadedAt !== entry.loadedAt) {
      const search = new MiniSearch<KnowledgeDocument>({
        fields: ['title', 'content'],
        storeFields: ['id'],
        searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.15, combineWith: 'AND' },
      });
      search.addAll(entry.value);
      this.indexed = {
        loadedAt: entry.loadedAt,
        documents: entry.value,
        byId: new Map(entry.value.map((doc) => [doc.id, doc])),
        search,
      };
    }
    return this.indexed;
  }

  /** All documents of one catalog version: a run loads knowledge once and hands it to every agent. */
  async all(): Promise<KnowledgeDocument[]> {
    return (await this.current()).documents;
  }

  async get(id: string): Promise<KnowledgeDocument> {
    const doc = (await this.current()).byId.get(id);
    if (!doc) throw new DomainException(ErrorCode.KnowledgeNotFound, `No knowledge document '${id}'`);
    return doc;
  }

  async search(query: string, limit: number): Promise<{ results: KnowledgeHit[]; total: number }> {
    const { search, byId } = await this.current();
    const hits = search.search(query);
    return {
      total: hits.length,
      results: hits.slice(0, limit).map((hit) => {
        const doc = byId.get(hit.id as string)!;
        return { id: doc.id, title: doc.title, score: Math.round(hit.score * 1000) / 1000, snippet: snippetOf(doc.content, hit.terms) };
      }),
    };
  }
}
