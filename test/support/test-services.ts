import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Agency, User } from '../../src/agencies/agency.entity';
import { createLoaders } from '../../src/db/loaders';
import { systemClock } from '../../src/core/execution-context';
import type { RequestContext } from '../../src/api/context';
import { createServices as createAppServices, type ServiceDeps, type Services } from '../../src/app/services';
import type { ExecutionContext } from '../../src/core/execution-context';
import type { CaseProcess } from '../../src/processes/process.entity';
import { processServiceOf } from '../../src/processes/process-module';
import { processModules } from '../../src/processes/registry';
import { testLog } from './logger';
import { jointMediationModule } from '../../src/processes/joint-mediation/mediation.module';
import { policeReferralModule } from '../../src/processes/police-referral/referral.module';
import { threeWayDispatchModule } from '../../src/processes/three-way-dispatch/dispatch.module';
import type { StepActor } from '../../src/processes/process-step.contract';
import type { DispatchService } from '../../src/processes/three-way-dispatch/dispatch.service';
import type { ReferralService } from '../../src/processes/police-referral/referral.service';
import type { MediationService } from '../../src/processes/joint-mediation/mediation.service';

type StepCall = {
  processId: string;
  update: string | UpdateDefinition<unknown, [{ actor: StepActor }]>;
  args?: Record<string, unknown>;
  idempotencyKey?: string | null;
};

/**
 * The services as the tests drive them: the app's, plus the process starts by their old names and a step by its
 * update's name (a test names the step it takes; the update definition is looked up in the registry).
 */
export type TestServices = Omit<Services, 'processes'> & {
  processes: Services['processes'] & {
    dispatchCase: DispatchService['dispatchCase'];
    proposePoliceReferral: ReferralService['proposePoliceReferral'];
    conveneMediation: MediationService['conveneMediation'];
    step(ctx: ExecutionContext, input: StepCall): Promise<CaseProcess>;
  };
};

/** A test's execution context, carrying the services it calls (the API's resolvers get them by constructor). */
export type TestContext = RequestContext & { services: TestServices };

export function updateNamed(name: string, modules = processModules): UpdateDefinition<unknown, [{ actor: StepActor }]> {
  for (const m of modules) for (const step of Object.values(m.definition.steps)) if (step.update.name === name) return step.update;
  throw new Error(`no registered process has a step ${name}`);
}

export function testServices(services: Services): TestServices {
  const processes = Object.assign(Object.create(services.processes) as Services['processes'], {
    dispatchCase: (ctx: ExecutionContext, input: { caseId: string }) =>
      processServiceOf(services, threeWayDispatchModule).dispatchCase(ctx, input),
    proposePoliceReferral: (ctx: ExecutionContext, input: Parameters<TestServices['processes']['proposePoliceReferral']>[1]) =>
      processServiceOf(services, policeReferralModule).proposePoliceReferral(ctx, input),
    conveneMediation: (ctx: ExecutionContext, input: Parameters<TestServices['processes']['conveneMediation']>[1]) =>
      processServiceOf(services, jointMediationModule).conveneMediation(ctx, input),
    step: (ctx: ExecutionContext, input: StepCall) =>
      services.processes.step(ctx, {
        processId: input.processId,
        update: typeof input.update === 'string' ? updateNamed(input.update) : input.update,
        args: input.args ?? {},
        idempotencyKey: input.idempotencyKey,
      }),
  });
  return { ...services, processes };
}

/**
 * Intake as a city runs it under `npm start` (src/config.ts defaults): a repeat by the same phone, and a collective
 * complaint about the same project or employer, join an open case of the last 30 days.
 */
export const testIntakeRules = { repeatComplaintWindowDays: 30, collectiveComplaintWindowDays: 30 } as const;

/** The app's services over the registry's processes (unless told otherwise), for a test. */
export function createServices(deps: Omit<ServiceDeps, 'processModules'> & Partial<Pick<ServiceDeps, 'processModules'>>): TestServices {
  return testServices(createAppServices({ processModules, intakeRules: testIntakeRules, ...deps }));
}

/** A request of `user` of `agency` as the API would make it for that user's token, over `services`. */
export function requestAs(orm: MikroORM, services: TestServices, user: User, agency: Agency): TestContext {
  const em = orm.em.fork();
  return {
    requestId: randomUUID(),
    log: testLog,
    em,
    services,
    loaders: createLoaders(em),
    actor: { userId: user.id, agencyId: agency.id, agencyKind: agency.kind, roles: user.roles },
    clock: systemClock,
  };
}
