import { BadRequestException, Controller, Get, Query, Req } from '@nestjs/common';

import { timeProblem } from '@vigil/contracts';
import { Public, RequireScope, type GuardedRequest } from '@vigil/platform';

import { ReadTrail } from '../read-trail/read-trail';
import { CheckpointService } from './checkpoint.service';

function instant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new BadRequestException({
      message: `${name} must be an ISO-8601 date-time`,
      details: { [name]: value },
    });
  }
  const problem = timeProblem(ms);
  if (problem) throw new BadRequestException({ message: `${name} ${problem}`, details: { [name]: value } });
  return new Date(ms);
}

/**
 * Proof of integrity: the checkpoint public key (public: verifiers need it and it proves nothing on
 * its own), and a recomputation of the chains (scope audit:read: it reads the whole trail).
 */
@Controller('audit')
export class IntegrityController {
  constructor(
    private readonly checkpoints: CheckpointService,
    private readonly reads: ReadTrail,
  ) {}

  @Get('checkpoints/public-key')
  @Public('a public key: anyone verifying exported checkpoints needs it')
  publicKey() {
    return this.checkpoints.publicKey();
  }

  @Get('verify')
  @RequireScope('audit:read')
  async verify(
    @Req() request: GuardedRequest,
    @Query('from') fromText?: string,
    @Query('to') toText?: string,
  ) {
    const from = instant('from', fromText);
    const to = instant('to', toText);
    if (from && to && from > to) {
      throw new BadRequestException({
        message: 'from must not be after to',
        details: { from: fromText, to: toText },
      });
    }
    const report = await this.checkpoints.verify({ from, to });
    await this.reads.record(request, {
      kind: 'verify',
      resource: { type: 'audit_chain', id: 'all' },
      filters: { from: report.from, to: report.to },
      count: report.chains.reduce((sum, chain) => sum + chain.records_checked, 0),
      result: {
        ok: report.ok,
        first_bad_category: report.first_bad?.category ?? null,
        first_bad_seq: report.first_bad?.seq ?? null,
      },
    });
    return report;
  }
}
