import { Controller, Get } from '@nestjs/common';

import type { TargetStatus } from '@vigil/contracts';
import { redactString } from '@vigil/redaction';

import { TargetStateService } from '../state/target-state.service';

export interface TargetStatusView {
  name: string;
  url: string;
  status: TargetStatus;
  since: string;
  last_checked_at: string | null;
  response_time_ms: number | null;
  last_error: string | null;
}

/** Current state of every configured target, in file order. URLs are redacted (they may hold credentials). */
@Controller('api/status')
export class StatusController {
  constructor(private readonly states: TargetStateService) {}

  @Get()
  status(): { targets: TargetStatusView[] } {
    return {
      targets: this.states.snapshot().map(({ target, state }) => ({
        name: target.name,
        url: redactString(target.url),
        status: state.status,
        since: state.since,
        last_checked_at: state.lastCheckedAt,
        response_time_ms: state.lastResponseTimeMs,
        last_error: state.lastError,
      })),
    };
  }
}
