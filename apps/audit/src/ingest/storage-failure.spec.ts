import { sqlState } from '@vigil/platform';

import { isRefusedContent } from './storage-failure';

/** A pg DatabaseError as TypeORM throws it (QueryFailedError keeps it as driverError). */
const queryFailed = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

describe('isRefusedContent', () => {
  it('counts data exceptions, program limits and not-null/check violations as refused content', () => {
    for (const code of ['22021', '22P02', '22008', '54000', '23502', '23514']) {
      expect(isRefusedContent(queryFailed(code))).toBe(true);
    }
    expect(isRefusedContent(new RangeError('Maximum call stack size exceeded'))).toBe(true);
  });

  it('counts lost connections, deadlocks, shutdowns and unknown errors as transient', () => {
    for (const code of ['08006', '40P01', '40001', '57P01', '53300', '23505', 'XX000']) {
      expect(isRefusedContent(queryFailed(code))).toBe(false);
    }
    expect(isRefusedContent(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isRefusedContent(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRefusedContent(undefined)).toBe(false);
  });

  it('reads the SQLSTATE from the error or the driver error it wraps', () => {
    expect(sqlState(Object.assign(new Error('x'), { code: '22P05' }))).toBe('22P05');
    expect(sqlState(queryFailed('54000'))).toBe('54000');
    expect(sqlState(new Error('x'))).toBeUndefined();
  });
});
