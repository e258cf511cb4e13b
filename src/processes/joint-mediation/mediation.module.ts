import type { ProcessModule } from '../process-module';
import { jointMediationProcess } from './mediation.definition';
import { MediationResolver } from './mediation.resolver';
import { MediationService } from './mediation.service';

export const jointMediationModule: ProcessModule<MediationService> = {
  definition: jointMediationProcess,
  createService: (processes) => new MediationService(processes),
  resolvers: [MediationResolver],
};
