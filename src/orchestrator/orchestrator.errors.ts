import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from '../common/errors/error-code';

/** The orchestrator's own error codes, with their statuses. */
export const OrchestratorError = defineErrorCodes({
  JOB_NOT_FOUND: { status: HttpStatus.NOT_FOUND, example: 'No job with id 3f2b6c1e-9d4a-4f6e-8b1a-2c3d4e5f6a7b' },
  REPORT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, example: 'Job 3f2b6c1e-9d4a-4f6e-8b1a-2c3d4e5f6a7b has no report (it has not finished)' },
  INVALID_WEBHOOK_SIGNATURE: { status: HttpStatus.UNAUTHORIZED, example: 'X-Hub-Signature-256 does not match the body' },
  DEAD_LETTER_NOT_FOUND: { status: HttpStatus.NOT_FOUND, example: 'No dead letter with id 8d1f0c2a-4b3e-4c5d-9e6f-7a8b9c0d1e2f' },
  JOB_NOT_CANCELLABLE: { status: HttpStatus.CONFLICT, example: 'Job 3f2b6c1e-9d4a-4f6e-8b1a-2c3d4e5f6a7b has already completed' },
});
