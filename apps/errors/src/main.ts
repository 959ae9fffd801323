import { bootstrapService } from '@vigil/platform';

import { errorsService } from './service';

void bootstrapService(errorsService);
