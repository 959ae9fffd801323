import { bodyValue, httpPingForm, kumaPingForm, PingRequestError } from './ping-request';

const q = (text: string) => new URLSearchParams(text);

describe('httpPingForm (Healthchecks.io paths)', () => {
  it('reads success, start, fail, log and exit codes 0 and 255', () => {
    expect(httpPingForm(undefined, q(''))).toEqual({
      kind: 'success',
      exitCode: null,
      rid: null,
      value: null,
    });
    expect(httpPingForm('start', q('rid=5f3c-aa')).kind).toBe('start');
    expect(httpPingForm('start', q('rid=5f3c-aa')).rid).toBe('5f3c-aa');
    expect(httpPingForm('fail', q('')).kind).toBe('fail');
    expect(httpPingForm('log', q('')).kind).toBe('log');
    expect(httpPingForm('0', q(''))).toMatchObject({ kind: 'exit', exitCode: 0 });
    expect(httpPingForm('255', q(''))).toMatchObject({ kind: 'exit', exitCode: 255 });
  });

  it('refuses exit code 256, an unknown action, a bad rid and a value that is not a number', () => {
    const statusOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as PingRequestError).status;
      }
      return 'accepted';
    };
    expect(statusOf(() => httpPingForm('256', q('')))).toBe(400);
    expect(statusOf(() => httpPingForm('stop', q('')))).toBe(404);
    expect(statusOf(() => httpPingForm(undefined, q('rid=a b')))).toBe(400);
    expect(statusOf(() => httpPingForm(undefined, q(`rid=${'a'.repeat(129)}`)))).toBe(400);
    expect(statusOf(() => httpPingForm(undefined, q(`rid=${'a'.repeat(128)}`)))).toBe('accepted');
    expect(statusOf(() => httpPingForm(undefined, q('value=12kb')))).toBe(400);
  });

  it('reads value from the query', () => {
    expect(httpPingForm(undefined, q('value=-3.5')).value).toBe(-3.5);
  });
});

describe('bodyValue', () => {
  it('reads {"value": n} and leaves other bodies alone', () => {
    expect(bodyValue('{"value": 1024}')).toBe(1024);
    expect(bodyValue(' {"value": "7.5"}')).toBe(7.5);
    expect(bodyValue('{"rows": 3}')).toBeNull();
    expect(bodyValue('{not json')).toBeNull();
    expect(bodyValue('backup done')).toBeNull();
  });

  it('refuses a body value that is not a number', () => {
    expect(() => bodyValue('{"value": true}')).toThrow(PingRequestError);
    expect(() => bodyValue('{"value": "lots"}')).toThrow('body value must be a number');
  });
});

describe('kumaPingForm (Uptime Kuma push)', () => {
  it('is a success when status is up or missing, a failure otherwise, as Kuma reads it', () => {
    expect(kumaPingForm(q('status=up&msg=OK&ping=12.5'))).toEqual({
      kind: 'success',
      message: 'OK',
      durationMs: 12.5,
    });
    expect(kumaPingForm(q('')).kind).toBe('success');
    expect(kumaPingForm(q('status=down&msg=disk%20full')).kind).toBe('fail');
    expect(kumaPingForm(q('status=down&msg=disk%20full')).message).toBe('disk full');
    expect(kumaPingForm(q('ping=fast')).durationMs).toBeNull();
  });
});
