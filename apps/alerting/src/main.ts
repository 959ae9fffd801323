import { bootstrapService } from '@vigil/platform';

import { alertingService } from './service';

void bootstrapService(alertingService);
