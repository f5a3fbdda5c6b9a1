import type { NextFunction, Request, Response } from 'express';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';

/** body-parser reports its failures as plain errors with a `type`; each is the client's fault. */
const BODY_PARSER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  'entity.parse.failed': { code: ErrorCode.InvalidJson, message: 'Request body is not valid JSON' },
  'entity.too.large': { code: ErrorCode.PayloadTooLarge, message: 'Request body exceeds the size limit' },
  'encoding.unsupported': { code: ErrorCode.UnsupportedMediaType, message: 'Unsupported content encoding' },
  'charset.unsupported': { code: ErrorCode.UnsupportedMediaType, message: 'Unsupported charset' },
  'request.aborted': { code: ErrorCode.InvalidJson, message: 'Request body was aborted by the client' },
  'request.size.invalid': { code: ErrorCode.InvalidBody, message: 'Request body size did not match its Content-Length' },
};

/**
 * A body that zlib could not inflate (gzip and deflate: Z_DATA_ERROR; br: ERR__ERROR_FORMAT_…): body-parser
 * passes zlib's error on with a 400 and no `type`; zlib's errors carry a numeric errno.
 */
function undecodable(error: unknown, req: Request): DomainException | null {
  const { status, errno } = (error ?? {}) as { status?: number; errno?: unknown };
  if (status !== 400 || typeof errno !== 'number') return null;
  const encoding = req.headers['content-encoding'] ?? 'unknown';
  return new DomainException(ErrorCode.InvalidBody, `Request body could not be decoded as Content-Encoding: ${encoding}`, {
    details: { contentEncoding: encoding },
  });
}

/**
 * Error middleware placed right after the body parsers: turns their errors into domain
 * exceptions before Nest flattens them into an anonymous 400.
 */
export function bodyParserErrors(error: unknown, req: Request, _res: Response, next: NextFunction): void {
  const type = (error as { type?: string } | null)?.type;
  const known = type ? BODY_PARSER_ERRORS[type] : undefined;
  if (!known) return next(undecodable(error, req) ?? error);
  const limit = (error as { limit?: number }).limit;
  next(
    new DomainException(known.code, limit ? `${known.message} of ${limit} bytes` : known.message, {
      details: limit ? { limitBytes: limit } : undefined,
    }),
  );
}
