import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InfraRoute } from '../../common/guards/route-policy';
import { MetricsRegistry } from './metrics.registry';

@ApiTags('metrics')
@InfraRoute()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus exposition: process, event-loop lag, HTTP and feature metrics.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string', example: 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/status",status="200"} 3' } })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
