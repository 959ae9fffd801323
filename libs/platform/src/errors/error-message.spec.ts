import { errorMessage } from './error-message';

describe('errorMessage', () => {
  it('gives an Error its message and anything else thrown its string form', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
