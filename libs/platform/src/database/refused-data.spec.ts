import { isRefusedData, sqlState } from './refused-data';

/** A pg DatabaseError as TypeORM throws it (QueryFailedError keeps it as driverError). */
const queryFailed = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

describe('isRefusedData', () => {
  it('counts cardinality and data exceptions, program limits and not-null/check violations as refused data', () => {
    for (const code of ['21000', '22021', '22P02', '22P05', '22008', '22001', '54000', '23502', '23514']) {
      expect(isRefusedData(queryFailed(code))).toBe(true);
      expect(isRefusedData(Object.assign(new Error('x'), { code }))).toBe(true);
    }
  });

  it('counts lost connections, deadlocks, shutdowns, unique violations and unknown errors as transient', () => {
    for (const code of ['08006', '40P01', '40001', '57P01', '53300', '42P01', '23505', 'XX000']) {
      expect(isRefusedData(queryFailed(code))).toBe(false);
    }
    expect(isRefusedData(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isRefusedData(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRefusedData(undefined)).toBe(false);
  });

  it('reads the SQLSTATE from the error or the driver error it wraps', () => {
    expect(sqlState(Object.assign(new Error('x'), { code: '22P05' }))).toBe('22P05');
    expect(sqlState(queryFailed('54000'))).toBe('54000');
    expect(sqlState(new Error('x'))).toBeUndefined();
  });
});
