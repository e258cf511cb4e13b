import { DatePicker } from 'antd';
import dayjs from 'dayjs';

/**
 * The board's range of days received (Beijing days, `YYYY-MM-DD`). A module of its own so that antd's date picker
 * loads after the board's first view, not in its chunk (bench:dashboard: the picker is about 34 KiB gzip).
 */
export function ReceivedRange({ from, to, onChange }: { from?: string; to?: string; onChange(from?: string, to?: string): void }) {
  return (
    <DatePicker.RangePicker
      placeholder={['接收起始日', '接收截止日']}
      value={from && to ? [dayjs(from), dayjs(to)] : null}
      onChange={(v) => onChange(v?.[0]?.format('YYYY-MM-DD') ?? undefined, v?.[1]?.format('YYYY-MM-DD') ?? undefined)}
    />
  );
}
