import { BadRequestException, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';

import { RequireScope, type GuardedRequest } from '@vigil/platform';

import { SubjectEraser } from './subject-eraser';

/** 1 to 256 characters, none of them a control character. */
const validSubject = (id: string) =>
  id.length >= 1 &&
  id.length <= 256 &&
  ![...id].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Erasure of a data subject's personal fields in the trail (scope audit:erase). */
@Controller('audit/subjects')
@RequireScope('audit:erase')
export class ErasureController {
  constructor(private readonly eraser: SubjectEraser) {}

  /** Destroys every key of the subject: its sealed fields read as [ERASED]; proofs still verify. */
  @Post(':id/erase')
  @HttpCode(200)
  async erase(@Req() request: GuardedRequest, @Param('id') subject: string) {
    if (!validSubject(subject)) {
      throw new BadRequestException({
        message: 'subject id must be 1 to 256 characters without control characters',
      });
    }
    return this.eraser.erase(request, subject);
  }
}
