import { bootstrapService } from '@vigil/platform';

import { healthService } from './service';

void bootstrapService(healthService);
