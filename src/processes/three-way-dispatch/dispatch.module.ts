import type { ProcessModule } from '../process-module';
import { threeWayDispatchProcess } from './dispatch.definition';
import { DispatchResolver } from './dispatch.resolver';
import { DispatchService } from './dispatch.service';

export const threeWayDispatchModule: ProcessModule<DispatchService> = {
  definition: threeWayDispatchProcess,
  createService: (processes) => new DispatchService(processes),
  resolvers: [DispatchResolver],
};
