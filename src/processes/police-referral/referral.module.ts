import type { ProcessModule } from '../process-module';
import { policeReferralProcess } from './referral.definition';
import { ReferralResolver } from './referral.resolver';
import { ReferralService } from './referral.service';

export const policeReferralModule: ProcessModule<ReferralService> = {
  definition: policeReferralProcess,
  createService: (processes) => new ReferralService(processes),
  resolvers: [ReferralResolver],
};
