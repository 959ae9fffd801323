import { bootstrapService } from '@vigil/platform';

import { reportingService } from './service';

void bootstrapService(reportingService);
