import type { AnyProcessModule } from './process-module';
// In this order: it is the order of the processes' fields in the schema.
import { threeWayDispatchModule } from './three-way-dispatch/dispatch.module';
import { policeReferralModule } from './police-referral/referral.module';
import { jointMediationModule } from './joint-mediation/mediation.module';
import { callbackModule } from './callback/callback.module';
import { orderToPayModule } from './order-to-pay/order-to-pay.module';
import { penaltyModule } from './penalty/penalty.module';
import { handoverModule } from './handover/handover.module';
import { externalReferralModule } from './external-referral/external-referral.module';

/**
 * Every cross-agency process Anxin runs: one line each. The API's schema, the worker's workflow bundle and the
 * `ProcessKind` enum are built from this list; a new process is a folder under `src/processes/` and a line here.
 */
export const processModules: ReadonlyArray<AnyProcessModule> = [
  threeWayDispatchModule,
  policeReferralModule,
  jointMediationModule,
  callbackModule,
  orderToPayModule,
  penaltyModule,
  handoverModule,
  externalReferralModule,
];
