import { bootstrapService } from '@vigil/platform';

import { auditService } from './service';

void bootstrapService(auditService);
