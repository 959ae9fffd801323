import { redact, redactString } from '../index';

const IP = '[REDACTED:ipv4]';

describe('dotted quads that are versions or numbering', () => {
  it.each([
    'django 4.2.11 -> 5.0.4.1',
    'upgrade 5.0.4.1 → 5.1.0 done',
    'bump from 1.2.3 to 4.5.6.7',
    'pkg 10.2.14.7 => 10.3.0',
  ])('a quad beside a 3-part version in an upgrade line is kept: %p', (line) => {
    expect(redactString(line)).toBe(line);
  });

  it.each([
    ['connection from 10.2.14.7 refused', `connection from ${IP} refused`],
    ['nat 10.0.0.1 -> 10.0.0.2', `nat ${IP} -> ${IP}`],
    ['route 4.2 -> 10.2.14.7', `route 4.2 -> ${IP}`],
    ['peer 10.2.14.7 to 10.2.14.8', `peer ${IP} to ${IP}`],
  ])('an address beside another address or a short number is one: %p', (line, expected) => {
    expect(redactString(line)).toBe(expected);
  });

  it('a quad under a numbering or release key is kept', () => {
    const record = {
      section: '4.3.2.1',
      figure: '10.2.14.7',
      chapter: '1.2.3.4',
      clause_no: '2.1.1.3',
      app_version: '10.2.14.7',
      buildVersion: '5.0.4.1',
      release: '1.0.0.12',
      oid: '1.3.6.1',
      schema: '1.2.0.3',
      schema_version: '2.0.1.4',
      spec: '2.1.0.3',
      api_version: '3.0.1.2',
    };
    expect(redact(record)).toEqual(record);
  });

  it('a quad under an address key, or a version key holding more than a quad, is an address', () => {
    expect(redact({ ip: '10.2.14.7', host: '4.3.2.1', client: '10.2.14.8', remote_addr: '8.8.4.4' })).toEqual(
      {
        ip: IP,
        host: IP,
        client: IP,
        remote_addr: IP,
      },
    );
    expect(redact({ version: 'served by 10.2.14.7' })).toEqual({ version: `served by ${IP}` });
    expect(redact({ section_ip: '10.2.14.7' })).toEqual({ section_ip: IP });
    expect(redact({ schema_host: '10.2.14.7', spec: 'from 10.2.14.7' })).toEqual({
      schema_host: IP,
      spec: `from ${IP}`,
    });
  });
});
