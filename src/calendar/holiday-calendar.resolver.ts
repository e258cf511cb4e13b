import { DateTimeResolver } from 'graphql-scalars';
import { MaxLength } from 'class-validator';
import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { LocalDateScalar } from '../api/scalars';
import type { HolidayCalendarService } from './holiday-calendar.service';

@InputType('HolidayCalendarDayInput', { description: 'One day of the State Council’s schedule for the year' })
export class HolidayCalendarDayInput {
  @Field(() => LocalDateScalar, { description: 'The day, inside the year being loaded' })
  date!: string;

  @Field({ description: 'HOLIDAY (放假, weekend days inside a holiday included) or ADJUSTED_WORKDAY (调休上班: a weekend day worked)' })
  @MaxLength(20)
  kind!: string;

  @Field({ description: 'The holiday it belongs to, as the notice names it (元旦, 春节, 国庆节 …)' })
  @MaxLength(50)
  name!: string;
}

@InputType('LoadHolidayYearInput', { description: 'A year of the State Council holiday schedule, from its notice' })
export class LoadHolidayYearInput {
  @Field(() => Int, { description: 'The year; at most one after the last year the calendar knows' })
  year!: number;

  @Field({ description: 'The notice it comes from (e.g. 国务院办公厅关于2027年部分节假日安排的通知, 国办发明电〔…〕…号)' })
  @MaxLength(500)
  source!: string;

  @Field(() => [HolidayCalendarDayInput], {
    description: 'Every holiday and every weekend day worked of the year; a day not listed is a working day on weekdays',
  })
  days!: HolidayCalendarDayInput[];
}

@ObjectType('HolidayYearLoaded', { description: 'A year of the holiday calendar as loaded, and what it moved' })
export class HolidayYearLoadedType {
  @Field(() => Int, { description: 'The year loaded' })
  year!: number;

  @Field({ description: 'The notice it came from' })
  source!: string;

  @Field(() => DateTimeResolver, { description: 'When it was loaded' })
  loadedAt!: Date;

  @Field(() => Int, { description: 'Days off listed' })
  holidays!: number;

  @Field(() => Int, { description: 'Weekend days worked listed (调休上班)' })
  adjustedWorkdays!: number;

  @Field(() => Int, { description: 'Open cases whose provisional deadlines were counted again and moved (each has a case-file entry)' })
  casesMoved!: number;
}

/** The holiday calendar, loaded by an administrator from the State Council notice. */
@Resolver()
export class HolidayCalendarResolver {
  constructor(private readonly calendar: HolidayCalendarService) {}

  @Mutation(() => HolidayYearLoadedType, {
    description:
      'Loads (or corrects) a year of the State Council holiday schedule (director of the top-level labour inspection agency); ' +
      'open cases’ provisional deadlines are counted again and their clocks moved',
  })
  loadHolidayYear(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The year and its days' }) input: LoadHolidayYearInput,
  ): Promise<HolidayYearLoadedType> {
    return this.calendar.loadYear(ctx, input);
  }
}
