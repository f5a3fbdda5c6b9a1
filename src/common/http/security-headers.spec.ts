import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const live = helmet();
    const precomputed = securityHeaders();
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const handler = req.url === '/helmet' ? live : precomputed;
      handler(req as Request, res as Response, () => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const securityHeadersOf = async (path: string) => {
    const res = await fetch(base + path);
    return [...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name));
  };

  it('writes exactly the headers helmet writes, with the same values', async () => {
    const expected = await securityHeadersOf('/helmet');
    expect(expected.length).toBeGreaterThanOrEqual(12);
    expect(await securityHeadersOf('/precomputed')).toEqual(expected);
  });
});
