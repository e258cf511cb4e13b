import type { ProcessModule } from '../process-module';
import { penaltyProcess } from './penalty.definition';
import { PenaltyResolver } from './penalty.resolver';
import { PenaltyService } from './penalty.service';

export const penaltyModule: ProcessModule<PenaltyService> = {
  definition: penaltyProcess,
  createService: (processes) => new PenaltyService(processes),
  resolvers: [PenaltyResolver],
};
