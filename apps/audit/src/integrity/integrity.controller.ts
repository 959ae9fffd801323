import { BadRequestException, Controller, Get, Query } from '@nestjs/common';

import { timeProblem } from '@vigil/contracts';
import { Public, RequireScope } from '@vigil/platform';

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
  constructor(private readonly checkpoints: CheckpointService) {}

  @Get('checkpoints/public-key')
  @Public('a public key: anyone verifying exported checkpoints needs it')
  publicKey() {
    return this.checkpoints.publicKey();
  }

  @Get('verify')
  @RequireScope('audit:read')
  async verify(@Query('from') fromText?: string, @Query('to') toText?: string) {
    const from = instant('from', fromText);
    const to = instant('to', toText);
    if (from && to && from > to) {
      throw new BadRequestException({
        message: 'from must not be after to',
        details: { from: fromText, to: toText },
      });
    }
    return this.checkpoints.verify({ from, to });
  }
}
