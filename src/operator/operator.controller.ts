import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { MetricsHistory, type HistorySample } from './metrics-history';
import type { Response } from 'express';
import { InfraRoute } from '../common/guards/route-policy';
import { OperatorService, type DetailedHealth } from './operator.service';

const CHECK = { status: 'pass', message: 'all closed' };

export class HistoryQueryDto {
  @ApiPropertyOptional({ example: 60, default: 60, minimum: 1, maximum: 60, description: 'How far back, in minutes' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'minutes must be a whole number' })
  @Min(1)
  @Max(60)
  minutes?: number;
}

@ApiTags('health')
@InfraRoute()
@Controller()
export class OperatorController {
  constructor(
    private readonly operator: OperatorService,
    private readonly history: MetricsHistory,
  ) {}

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

  @Get('api/metrics/history')
  @ApiOperation({
    summary: "This instance's last hour in 10-second samples (the one in progress last): latency p50/p99, requests/s, 5xx rate, reviews by decision, breaker openings.",
  })
  @ApiOkResponse({
    schema: {
      example: {
        intervalSeconds: 10,
        samples: [
          { at: '2026-01-01T00:00:10.000Z', seconds: 10, latencyMs: { p50: 1.2, p99: 9.8 }, perSecond: 12.5, errorRate: 0, reviews: { approve: 1, request_changes: 0, block_pr: 0, manual_review: 0 }, breakerOpenings: [] },
        ],
      },
    },
  })
  @ApiErrors(ErrorCode.ValidationFailed)
  async metricsHistory(@Query() query: HistoryQueryDto): Promise<{ intervalSeconds: number; samples: HistorySample[] }> {
    return { intervalSeconds: 10, samples: await this.history.last(query.minutes ?? 60) };
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
