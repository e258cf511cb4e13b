import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { RequestContext } from '../api/context';
import { conflict, notFound } from '../api/errors';
import { Employer } from './employer.entity';

export interface RegisterEmployerInput {
  uscc: string;
  name: string;
  legalRepresentative?: string | null;
}

/** Employers: registration and lookup. Knows nothing of GraphQL beyond the error codes it raises. */
export class EmployerService {
  async register(ctx: RequestContext, input: RegisterEmployerInput): Promise<Employer> {
    const employer = ctx.em.create(Employer, {
      uscc: input.uscc,
      name: input.name.trim(),
      legalRepresentative: input.legalRepresentative?.trim() || undefined,
    });
    try {
      await ctx.em.persistAndFlush(employer);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw conflict(`an employer with unified social credit code ${input.uscc} is already registered`, { field: 'input.uscc', rule: 'uscc.unique' });
      }
      throw err;
    }
    ctx.log.info({ employerId: employer.id, uscc: employer.uscc }, 'employer registered');
    return employer;
  }

  async byUscc(ctx: RequestContext, uscc: string): Promise<Employer> {
    const employer = await ctx.em.findOne(Employer, { uscc });
    if (!employer) throw notFound('employer', uscc);
    return employer;
  }
}
