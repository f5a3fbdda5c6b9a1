import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logging.module';

describe('log redaction', () => {
  it('hides credentials wherever BSM logs them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      req: { headers: { authorization: 'Bearer s3cret-bearer', 'x-admin-token': 's3cret-admin', 'x-hub-signature-256': 'sha256=abc', cookie: 'sid=1' } },
      provider: { apiKey: 's3cret-key', token: 's3cret-token' },
      user: { password: 's3cret-password', name: 'kept' },
    });
    const line = lines.join('');
    expect(line).not.toMatch(/s3cret|sha256=abc|sid=1/);
    expect(line.match(/\[redacted\]/g)).toHaveLength(7);
    expect(line).toContain('"name":"kept"');
  });
});
