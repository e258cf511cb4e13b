import type { ProcessModule } from '../process-module';
import { handoverProcess } from './handover.definition';
import { HandoverResolver } from './handover.resolver';
import { HandoverService } from './handover.service';

export const handoverModule: ProcessModule<HandoverService> = {
  definition: handoverProcess,
  createService: (processes) => new HandoverService(processes),
  resolvers: [HandoverResolver],
};
