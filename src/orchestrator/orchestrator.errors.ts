import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from '../common/errors/error-code';

/** The orchestrator's own error codes, with their statuses. */
export const OrchestratorError = defineErrorCodes({
  JOB_NOT_FOUND: HttpStatus.NOT_FOUND,
  REPORT_NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_WEBHOOK_SIGNATURE: HttpStatus.UNAUTHORIZED,
  JOB_NOT_CANCELLABLE: HttpStatus.CONFLICT,
});
