import { createRedactor } from './redactor';

const redactor = createRedactor();

describe('shapes that skip the detectors', () => {
  it('keeps UUIDs, hex ids and ISO timestamps as they are', () => {
    for (const value of [
      'b82034fb-a541-4edd-a74d-0cfc15a048c4',
      'B82034FB-A541-4EDD-A74D-0CFC15A048C4',
      '8098abdd3d6e42d4a0702e359b9c9914',
      '2025-01-07T00:46:09.025Z',
    ])
      expect(redactor.redactString(value)).toBe(value);
  });

  it('scans a 36-character value with a dash at 8 that is not a UUID', () => {
    // Dashes at 8 and 13 but not 18 and 23, and a non-hex character: both must reach the detectors.
    expect(redactor.redactString('ab12cd34-rahim.1@example.com-1a2b-3c')).not.toContain(
      'rahim.18@example.com',
    );
    expect(redactor.redactString('ab12cd34-a541-rahim@example.com-2b3c')).not.toContain('rahim@example.com');
  });
});
