import type { ProcessModule } from '../process-module';
import { externalReferralProcess } from './external-referral.definition';
import { ExternalReferralResolver } from './external-referral.resolver';
import { ExternalReferralService } from './external-referral.service';

export const externalReferralModule: ProcessModule<ExternalReferralService> = {
  definition: externalReferralProcess,
  createService: (processes) => new ExternalReferralService(processes),
  resolvers: [ExternalReferralResolver],
};
