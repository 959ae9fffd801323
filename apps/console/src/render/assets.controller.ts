import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import path from 'node:path';

import { Public } from '@vigil/platform';

/** apps/console/assets, two folders above both src/render and dist/render. */
export const ASSETS_DIR = path.resolve(__dirname, '..', '..', 'assets');
const ASSET_NAME = /^[a-z0-9-]+\.(css|js|svg|png)$/;

/** The console's own stylesheet and scripts (no CDN: everything a page loads comes from here). */
@Controller('assets')
export class AssetsController {
  @Get(':name')
  @Public('static stylesheet and scripts of the console, the same for everyone')
  asset(@Param('name') name: string, @Res() response: Response): void {
    if (!ASSET_NAME.test(name)) throw new NotFoundException({ message: `no asset ${name}` });
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.sendFile(name, { root: ASSETS_DIR, dotfiles: 'deny' }, (error) => {
      if (error && !response.headersSent)
        response.status(404).json({ error: 'Not Found', message: `no asset ${name}` });
    });
  }
}
