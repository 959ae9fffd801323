import { redactString } from '../index';
import { cpfValid } from './br-cpf';

const ID = '[REDACTED:national_id]';

describe('Brazilian CPF', () => {
  it('checks both mod-11 digits', () => {
    expect(cpfValid('34811062701')).toBe(true);
    expect(cpfValid('34811062702')).toBe(false);
    expect(cpfValid('34811062711')).toBe(false);
    expect(cpfValid('11111111111')).toBe(false);
    expect(cpfValid('3481106270')).toBe(false);
  });

  it.each([
    ['titular 348.110.627-01 confirmado', `titular ${ID} confirmado`],
    ['{"doc":"348.110.627-01"}', `{"doc":"${ID}"}`],
    ['CPF do titular: 348.110.627-01', `CPF do titular: ${ID}`],
    ['cpf do cliente 34811062701', `cpf do cliente ${ID}`],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([
    ['a failing check digit', 'ref 348.110.627-02'],
    ['more digit groups', 'build 1.348.110.627-01'],
    ['a longer tail', 'part 348.110.627-015'],
    ['dots where the dash goes', 'serial 348.110.627.01'],
    ['a word that is not CPF', 'cpfx 34811062701 order'],
  ])('%s stays', (_name, input) => {
    expect(redactString(input)).toBe(input);
  });
});
