import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '../audit/audit.service';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { CacheRegistry } from '../infra/cache/cache-registry';
import type { Env } from '../infra/config/env.schema';
import type { CacheStatsListDto, ClearCacheResultDto } from './dto/cache.dto';

@Injectable()
export class CacheService {
  constructor(
    private readonly caches: CacheRegistry,
    private readonly audit: AuditService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  stats(): CacheStatsListDto {
    return {
      store: this.config.get('REDIS_URL', { infer: true }) ? 'redis' : 'memory',
      stampedeProtection: this.config.get('CACHE_STAMPEDE_PROTECTION', { infer: true }),
      caches: this.caches.all().map((cache) => cache.stats()),
    };
  }

  /** Reloads the named cache(s) from their source; a failed reload keeps the last good value. */
  async clear(name: string): Promise<ClearCacheResultDto> {
    const valid = [...this.caches.names(), 'all'];
    if (!valid.includes(name)) {
      throw new DomainException(ErrorCode.ValidationFailed, `cache must be one of ${valid.join(', ')}`, {
        details: [{ field: 'cache', messages: [`cache must be one of ${valid.join(', ')}`] }],
      });
    }
    const results = new Map<string, { reloaded: boolean; error?: string }>();
    for (const target of name === 'all' ? this.caches.names() : [name]) await this.caches.refresh(target, results);
    const response = { cleared: [...results.keys()], results: Object.fromEntries(results) };
    await this.audit.record('cache.clear', name, response);
    return response;
  }
}
