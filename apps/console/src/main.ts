import { bootstrapService } from '@vigil/platform';

import { consoleService } from './service';

void bootstrapService(consoleService);
