/** The clock a case runs against now, by its status: contact and acceptance while received, resolution after. */
export interface DeadlineFields {
  status: string;
  firstContactAt?: string | null;
  deadlines: {
    sameDayContact: string;
    acceptance: string;
    resolution?: string | null;
    resolutionExtended?: string | null;
    overdue: string[];
  };
}

export const DEADLINE_LABELS: Record<string, string> = {
  sameDayContact: '首日对接',
  acceptance: '受理期限',
  resolution: '办结期限',
  resolutionExtended: '延期办结期限',
};

export function currentDeadline(c: DeadlineFields): { name: string; at: string } | null {
  const d = c.deadlines;
  if (c.status === 'RECEIVED') {
    if (!c.firstContactAt && new Date(d.sameDayContact) < new Date(d.acceptance) && Date.parse(d.sameDayContact) > Date.now())
      return { name: 'sameDayContact', at: d.sameDayContact };
    return { name: 'acceptance', at: d.acceptance };
  }
  if (c.status === 'ACCEPTED' || c.status === 'IN_PROGRESS') {
    if (d.resolutionExtended) return { name: 'resolutionExtended', at: d.resolutionExtended };
    if (d.resolution) return { name: 'resolution', at: d.resolution };
  }
  return null;
}
