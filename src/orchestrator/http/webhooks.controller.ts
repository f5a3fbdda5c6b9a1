import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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

  @Post(['api/webhooks/github', 'webhook/github'])
  @SignedRoute()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'GitHub webhook (alias POST /webhook/github): signature checked before parsing; acknowledged as soon as the job is stored; the run happens after the answer.',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<HMAC-SHA256 of the raw body with GITHUB_WEBHOOK_SECRET>' })
  @ApiHeader({ name: 'X-GitHub-Event', required: true })
  @ApiHeader({ name: 'X-GitHub-Delivery', required: true, description: 'Idempotency key: a delivery is never run twice' })
  @ApiAcceptedResponse({ type: WebhookAnswerDto, description: 'Stored: { jobId, status: queued | coalesced | requeued }' })
  @ApiOkResponse({ type: WebhookAnswerDto, description: 'No new run: { status: duplicate, jobId } | { status: skipped, reason } | { status: pong }' })
  @ApiErrors(OrchestratorError.INVALID_WEBHOOK_SIGNATURE, ErrorCode.ValidationFailed, ErrorCode.PayloadTooLarge, ErrorCode.InvalidJson)
  async github(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: unknown) {
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
