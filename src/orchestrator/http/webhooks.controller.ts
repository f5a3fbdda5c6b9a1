import { applyDecorators, Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/error-code';
import { SignedRoute } from '../../common/guards/route-policy';
import { WebhookSignatureVerifier } from '../intake/webhook-signature.verifier';
import { WebhooksService } from '../intake/webhooks.service';
import { WebhookAnswerDto } from './dto/orchestrator.dto';
import { OrchestratorError } from '../orchestrator.errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the body parser's verify hook once X-Hub-Signature-256 matched the raw body. */
    signatureVerified?: boolean;
  }
}

@ApiTags('webhooks')
@Controller()
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly verifier: WebhookSignatureVerifier,
  ) {}

  @Post('api/webhooks/github')
  @SignedRoute()
  @HttpCode(202)
  @ApiOperation({
    summary: 'GitHub webhook: signature checked before parsing; acknowledged as soon as the job is stored; the run happens after the answer.',
  })
  @GitHubWebhookDocs()
  github(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: unknown) {
    return this.receive(req, res, body);
  }

  @Post('webhook/github')
  @SignedRoute()
  @HttpCode(202)
  @ApiOperation({ summary: 'The GitHub webhook under its original path (same as POST /api/webhooks/github).' })
  @GitHubWebhookDocs()
  githubAlias(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: unknown) {
    return this.receive(req, res, body);
  }

  private async receive(req: Request, res: Response, body: unknown) {
    // Deliveries the JSON parser skipped (no body, another content type) are checked here.
    if (!req.signatureVerified) this.verifier.assert(req.headers['x-hub-signature-256'], req.rawBody ?? Buffer.alloc(0));
    const payload = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const answer = await this.webhooks.receive(
      { event: req.header('x-github-event'), delivery: req.header('x-github-delivery') },
      payload,
    );
    res.status(answer.httpStatus);
    return answer.body;
  }
}

/** What a webhook delivery carries and gets back, as GitHub sends it (the payload schema-light: GitHub adds fields). */
function GitHubWebhookDocs(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<HMAC-SHA256 of the raw body with GITHUB_WEBHOOK_SECRET>' }),
    ApiHeader({ name: 'X-GitHub-Event', required: true, description: 'pull_request, ping, …', example: 'pull_request' }),
    ApiHeader({ name: 'X-GitHub-Delivery', required: true, description: 'Idempotency key: a delivery is never run twice', example: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }),
    ApiBody({
      description: "GitHub's pull_request event payload (other events are answered 200 skipped; ping 200 pong)",
      schema: {
        type: 'object',
        properties: {
          action: { type: 'string', example: 'opened' },
          number: { type: 'integer', example: 7 },
          pull_request: { type: 'object', description: 'number, title, body, draft, user.login, head.sha, additions, deletions, changed_files' },
          repository: { type: 'object', description: 'full_name' },
          installation: { type: 'object', description: 'id (GitHub App deliveries)' },
        },
        additionalProperties: true,
        example: {
          action: 'opened',
          number: 7,
          pull_request: { number: 7, title: 'Add login', body: 'Adds the login form with tests.', draft: false, user: { login: 'dev' }, head: { sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' } },
          repository: { full_name: 'acme/shop' },
        },
      },
    }),
    ApiAcceptedResponse({ type: WebhookAnswerDto, description: 'Stored: { jobId, status: queued | coalesced | requeued }' }),
    ApiOkResponse({ type: WebhookAnswerDto, description: 'No new run: { status: duplicate, jobId } | { status: skipped, reason } | { status: pong }' }),
    ApiErrors(OrchestratorError.INVALID_WEBHOOK_SIGNATURE, ErrorCode.ValidationFailed, ErrorCode.PayloadTooLarge, ErrorCode.InvalidJson),
  );
}
