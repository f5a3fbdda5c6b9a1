import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { InfraRoute } from '../common/guards/route-policy';
import { OperatorService, type DetailedHealth } from './operator.service';

const CHECK = { status: 'pass', message: 'all closed' };

@ApiTags('health')
@InfraRoute()
@Controller()
export class OperatorController {
  constructor(private readonly operator: OperatorService) {}

  @Get('api/metrics')
  @ApiOperation({ summary: 'JSON summary for people: latency percentiles, requests/s, error rate, caches, breakers, bulkheads, jobs, memory, event loop.' })
  @ApiOkResponse({
    schema: {
      example: {
        uptimeSeconds: 120,
        requests: { perSecond: 12.5, total: 1500, errorRate: 0, latencyMs: { p50: 1.2, p95: 4.1, p99: 9.8 } },
        caches: [{ name: 'agents', hitRate: 0.99, hits: 990, misses: 10, errors: 0, valid: true }],
        breakers: [{ name: 'openai', state: 'closed', failures: 0, rejects: 0, nextAttemptAt: null }],
        bulkheads: [{ name: 'openai', inFlight: 0, queued: 0, maxConcurrent: 10 }],
        jobs: { completed: 12, queued: 1 },
        memory: { rssMb: 180, heapUsedMb: 60, heapTotalMb: 90 },
        eventLoop: { p50Ms: 0.1, p99Ms: 2.3, maxMs: 10 },
      },
    },
  })
  metrics() {
    return this.operator.metrics();
  }

  @Get('api/health/detailed')
  @ApiOperation({ summary: 'Every check with pass | warn | fail: any fail → unhealthy (503), else any warn → degraded (200), else healthy.' })
  @ApiOkResponse({
    schema: { example: { status: 'degraded', timestamp: '2026-01-01T00:00:00.000Z', correlationId: '…', checks: { circuitBreakers: { status: 'warn', message: 'not closed: openai' }, storage: CHECK } } },
  })
  @ApiServiceUnavailableResponse({ description: 'unhealthy: the same body, with the failing checks' })
  async detailed(@Res({ passthrough: true }) res: Response): Promise<DetailedHealth> {
    const health = await this.operator.detailedHealth();
    if (health.status === 'unhealthy') res.status(503);
    return health;
  }
}
