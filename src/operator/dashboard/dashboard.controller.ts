import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { DashboardAssets, isDashboardAsset, type DashboardAsset } from './dashboard-assets';

function sendAsset(assets: DashboardAssets, res: Response, name: DashboardAsset): void {
  const asset = assets.get(name);
  // no-cache: a new release's page never runs with an old release's cached script.
  res.type(asset.type).set('cache-control', 'no-cache').send(asset.body);
}

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
    sendAsset(this.assets, res, 'index.html');
  }

  @Get(':file')
  @ApiExcludeEndpoint()
  file(@Param('file') file: string, @Res() res: Response): void {
    if (!isDashboardAsset(file) || file.endsWith('.html')) throw new DomainException(ErrorCode.NotFound, `No dashboard file ${file}`);
    sendAsset(this.assets, res, file);
  }

}

/** The review pages: static files whose data comes from the API under its own policies, like the dashboard's. */
@ApiTags('dashboard')
@Controller('reviews')
export class ReviewPagesController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  @ApiOperation({ summary: 'The reviews page (HTML): reviews newest first, filtered by repository, decision and dates.' })
  @ApiOkResponse({ description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  list(@Res() res: Response): void {
    sendAsset(this.assets, res, 'reviews.html');
  }

  @Get(':jobId')
  @ApiOperation({ summary: 'One review (HTML): decision, reviewers, findings with their code lines (secrets masked), downloads.' })
  @ApiParam({ name: 'jobId', description: 'Job id (UUID)' })
  @ApiOkResponse({ description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  one(@Res() res: Response): void {
    sendAsset(this.assets, res, 'review.html');
  }
}
