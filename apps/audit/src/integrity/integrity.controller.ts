import { BadRequestException, Controller, Get, Query } from '@nestjs/common';

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
  return new Date(ms);
}

/** Proof of integrity: the checkpoint public key, and a recomputation of the chains. */
@Controller('audit')
export class IntegrityController {
  constructor(private readonly checkpoints: CheckpointService) {}

  @Get('checkpoints/public-key')
  publicKey() {
    return this.checkpoints.publicKey();
  }

  @Get('verify')
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
