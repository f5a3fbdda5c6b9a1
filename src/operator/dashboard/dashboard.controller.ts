import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { DashboardAssets, isDashboardAsset, type DashboardAsset } from './dashboard-assets';

/**
 * The operator dashboard: a static page whose script and styles are same-origin files, so
 * helmet's Content-Security-Policy (`script-src 'self'`) needs no exception. The data it
 * shows comes from the API, under the API's own policies (API keys, admin token).
 */
@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  @ApiOperation({ summary: 'The operator dashboard (HTML): live metrics, health, jobs, admin actions and a chat panel.' })
  @ApiOkResponse({ description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  page(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get(':file')
  @ApiExcludeEndpoint()
  file(@Param('file') file: string, @Res() res: Response): void {
    if (!isDashboardAsset(file) || file === 'index.html') throw new DomainException(ErrorCode.NotFound, `No dashboard file ${file}`);
    this.send(res, file);
  }

  private send(res: Response, name: DashboardAsset): void {
    const asset = this.assets.get(name);
    // no-cache: a new release's page never runs with an old release's cached script.
    res.type(asset.type).set('cache-control', 'no-cache').send(asset.body);
  }
}
