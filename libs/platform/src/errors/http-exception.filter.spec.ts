import { BadRequestException, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';

import { HttpExceptionFilter } from './http-exception.filter';

function capture(exception: unknown) {
  const sent: { status?: number; body?: unknown } = {};
  interface FakeResponse {
    status(code: number): FakeResponse;
    json(body: unknown): void;
  }
  const res: FakeResponse = {
    status: (code) => ((sent.status = code), res),
    json: (body) => void (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  return sent;
}

describe('HttpExceptionFilter', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('keeps the status of a known error and shapes {error, message, details}', () => {
    const sent = capture(
      new BadRequestException({ message: 'limit must be positive', details: { limit: -1 } }),
    );
    expect(sent).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'limit must be positive', details: { limit: -1 } },
    });
  });

  it('uses the status name when only a message is given', () => {
    expect(capture(new NotFoundException('no such alert')).body).toEqual({
      error: 'not_found',
      message: 'no such alert',
    });
  });

  it('turns unknown errors into a 500 with an error id and no internals', () => {
    const sent = capture(new Error('connection string postgres://admin:hunter2@db/x'));
    expect(sent.status).toBe(500);
    const body = sent.body as { error: string; message: string; details: { error_id: string } };
    expect(body.error).toBe('internal_error');
    expect(body.message).toContain(body.details.error_id);
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('redacts secrets a handler put in an error body', () => {
    const body = capture(new BadRequestException({ message: 'bad', details: { password: 'pw' } })).body;
    expect(body).toMatchObject({ details: { password: '[REDACTED]' } });
  });
});
