import { Field, ID, InputType, Mutation, Resolver, Arg, Ctx } from 'type-graphql';
import type { RequestContext } from '../../../src/api/context';
import { Agency } from '../../../src/agencies/agency.entity';
import type { ExecutionContext } from '../../../src/core/execution-context';
import { badUserInput } from '../../../src/domain/errors';
import { defineProcess } from '../../../src/processes/process-definition';
import type { ProcessModule } from '../../../src/processes/process-module';
import { OPEN_CASE_STATUSES } from '../../../src/domain/case-status';
import { CaseProcess, ProcessParty } from '../../../src/processes/process.entity';
import type { ProcessService } from '../../../src/processes/process.service';
import { CaseProcessType, ProcessStepInput, toProcessType } from '../../../src/processes/process.types';
import { acknowledgeAsUnionUpdate, unionAcknowledgement, type UnionAcknowledgementInput } from './union-acknowledgement.workflow';

/**
 * A minimal process, whole in this folder plus its workflow beside it: "the union acknowledges a case". It shows
 * what adding a process takes — a definition, a service on the shared machinery, a resolver, a module — and one
 * registry line (test/process-registry.test.ts adds it to the product's registry).
 */
export const unionAcknowledgementProcess = defineProcess({
  kind: 'UNION_ACKNOWLEDGEMENT',
  label: '工会知悉',
  workflow: unionAcknowledgement,
  workflowModule: require.resolve('./union-acknowledgement.workflow'),
  idPrefix: 'union-ack',
  facts: 'none: the union party acknowledges, with a note in the case file',
  clocks: { acknowledge: { source: 'none: a test process; its 3-day clock is made up (no law or practice gives one)' } },
  steps: { acknowledge: { update: acknowledgeAsUnionUpdate, who: 'a mediator or officer of the union told of the case' } },
});

const ACKNOWLEDGE_WITHIN_MS = 3 * 86_400_000;

export class UnionAcknowledgementService {
  constructor(private readonly processes: ProcessService) {}

  request(ctx: ExecutionContext, input: { caseId: string; unionAgencyId: string }): Promise<CaseProcess> {
    return this.processes.start(
      ctx,
      unionAcknowledgementProcess,
      input.caseId,
      OPEN_CASE_STATUSES,
      async (c, em, { processId, workflowId, actor }) => {
        const union = await em.findOne(Agency, { id: input.unionAgencyId });
        if (!union || union.kind !== 'UNION')
          throw badUserInput('input.unionAgencyId', 'agency.union', 'the acknowledgement is asked of a union');
        const acknowledgeDue = new Date(ctx.clock.now().getTime() + ACKNOWLEDGE_WITHIN_MS);
        em.create(CaseProcess, {
          id: processId,
          case: c.id,
          kind: unionAcknowledgementProcess.kind,
          workflowId,
          status: 'REQUESTED',
          startedBy: actor.userId,
          dueAt: acknowledgeDue,
          waitingOn: 'UNION',
        });
        em.create(ProcessParty, { process: processId, role: 'UNION', agency: union.id, name: union.name, status: 'INVITED' });
        await em.flush();
        const workflowInput: UnionAcknowledgementInput = {
          caseId: c.id,
          processId,
          unionAgencyId: union.id,
          acknowledgeDue: acknowledgeDue.toISOString(),
        };
        return { type: 'UNION_ACKNOWLEDGEMENT_REQUESTED', payload: { processId, unionAgencyId: union.id }, input: workflowInput };
      },
    );
  }

  acknowledge(ctx: ExecutionContext, input: { processId: string; note: string; idempotencyKey?: string | null }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: acknowledgeAsUnionUpdate,
      args: { note: input.note },
      idempotencyKey: input.idempotencyKey,
    });
  }
}

@InputType()
export class RequestUnionAcknowledgementInput {
  @Field(() => ID) caseId!: string;
  @Field(() => ID) unionAgencyId!: string;
}

@InputType()
export class AcknowledgeAsUnionInput extends ProcessStepInput {
  @Field() note!: string;
}

@Resolver()
export class UnionAcknowledgementResolver {
  constructor(private readonly service: UnionAcknowledgementService) {}

  @Mutation(() => CaseProcessType, { description: 'Ask the union to acknowledge the case (test-only process)' })
  async requestUnionAcknowledgement(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: RequestUnionAcknowledgementInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.service.request(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The union acknowledges the case (test-only process)' })
  async acknowledgeAsUnion(@Ctx() ctx: RequestContext, @Arg('input') input: AcknowledgeAsUnionInput): Promise<CaseProcessType> {
    return toProcessType(await this.service.acknowledge(ctx, input));
  }
}

export const unionAcknowledgementModule: ProcessModule<UnionAcknowledgementService> = {
  definition: unionAcknowledgementProcess,
  createService: (processes) => new UnionAcknowledgementService(processes),
  resolvers: [UnionAcknowledgementResolver],
};
