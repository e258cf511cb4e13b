import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Table,
  Typography,
  type FormInstance,
} from 'antd';
import dayjs from 'dayjs';
import { useMutation, type AnyVariables, type TypedDocumentNode } from 'urql';
import type { EnumName } from '../gql/enum-labels';
import { enumOptions, yuan } from '../labels';
import { showApiErrors } from '../errors';

/** Runs a mutation and shows the API's refusal (a field's message on its form item, the whole message below). */
export function useStep<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, onDone: () => void) {
  const [state, run] = useMutation<D, V>(doc);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();
  const submit = async (variables: V, form?: Parameters<typeof showApiErrors>[1], done = '已保存') => {
    setError(null);
    const r = await run(variables);
    if (r.error) {
      setError(showApiErrors(r.error, form));
      return false;
    }
    message.success(done);
    onDone();
    return true;
  };
  return { submit, error, fetching: state.fetching };
}

export function StepCard({
  title,
  error,
  children,
  extra,
  testId,
}: {
  title: string;
  error: string | null;
  children: React.ReactNode;
  extra?: React.ReactNode;
  testId?: string;
}) {
  return (
    <Col xs={24} md={12} xl={8}>
      <Card size="small" title={title} type="inner" extra={extra} data-testid={testId}>
        {children}
        {error && <Alert type="error" title={error} data-testid="form-error" style={{ marginTop: 8 }} />}
      </Card>
    </Col>
  );
}

/** A fresh key for each submission: a double click is taken once, a corrected retry is a new attempt. */
export const key = () => crypto.randomUUID();

/** A form's values as antd holds them, and the converted values a step's `input` builder reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a form's values are whatever its fields hold
export type Values = Record<string, any>;

/** A name path of a form item, as the API names the input field (`amount`, `['payment', 'amount']`). */
export type FieldName = string | Array<string | number>;

/** A worker of the case's roster (欠薪人员) for a per-worker allocation table: what is still owed to them. */
export interface RosterLine {
  id: string;
  name: string;
  owed: number;
}

/**
 * One field of a step form. Its `name` is the API's input field, so a refusal naming that field lands on it.
 * - `text`, `textarea`: a string;
 * - `yuan`: an amount entered in yuan, sent as integer fen;
 * - `integer`: a whole number;
 * - `date`: a Beijing day, sent as `YYYY-MM-DD`; `datetime`: an instant, sent as ISO UTC;
 * - `enum`: a select of a schema enum's values, labelled from its descriptions (`enum`);
 * - `choice`: a radio group of the given `options` (e.g. approve / refuse);
 * - `multi`: a select of several of the given `options` (e.g. inspectors present), sent as their values;
 * - `check`: a checkbox (a boolean);
 * - `allocations`: a table of the case's roster (`roster`), an amount in yuan per worker, sent as
 *   `[{ owedWorkerId, amount }]` for the workers given an amount (a refusal naming `allocations.1.amount` lands on
 *   the worker's row it came from);
 * - `list`: rows the user adds (`columns`, e.g. an agreement's instalments), sent as an array of their values.
 */
export interface Field {
  name: FieldName;
  label: string;
  kind: 'text' | 'textarea' | 'yuan' | 'integer' | 'date' | 'datetime' | 'enum' | 'multi' | 'choice' | 'check' | 'allocations' | 'list';
  enum?: EnumName;
  options?: Array<{ value: string | number | boolean; label: string }>;
  roster?: readonly RosterLine[];
  columns?: Field[];
  /** Shown only while the form's values say so (e.g. a payment's details once "paid" is ticked). */
  show?: (values: Values) => boolean;
  /** The field's `data-testid` (default: the form's test id and the field's name). */
  testId?: string;
  rows?: number;
  placeholder?: string;
}

/** A step form, described: what it asks, the mutation that takes it and how its input is built from the values. */
export interface StepSpec<I> {
  title: string;
  /** The typed mutation document; its variables are `{ input }`. */
  doc: TypedDocumentNode<unknown, { input: I }>;
  fields: Field[];
  /** Builds the mutation's input from the converted values (fen, days, allocations as the API takes them). */
  input(values: Values): I;
  initial?: Values;
  submit: string;
  /** The toast on success (from the values sent, e.g. approved or refused). */
  done: string | ((values: Values) => string);
  danger?: boolean;
  /** The form's name (its items' DOM ids), unique on the page. */
  name?: string;
  /** The submit button's `data-testid` (default: the form's test id and `-submit`). */
  submitTestId?: string;
  /** A sentence above the fields (e.g. what confirming means). */
  hint?: React.ReactNode;
  /** The card's `data-testid`, and the prefix of its fields' and submit button's. */
  testId?: string;
  /** The card's corner: the step's deadline. */
  extra?: React.ReactNode;
}

/**
 * A process or case step as a form, from its description: renders the fields, converts yuan to fen and days to
 * `YYYY-MM-DD`, submits the step's mutation, puts the API's refusal on the field it names (and the whole message
 * below the form), and on success tells the page to refresh the case.
 */
export function StepForm<I>({ spec, onDone }: { spec: StepSpec<I>; onDone(): void }) {
  const [form] = Form.useForm();
  const step = useStep(spec.doc, onDone);
  const watched = Form.useWatch((v: Values) => v, form) as Values | undefined;
  const values = watched ?? spec.initial ?? {};
  const tid = (f: Field) => f.testId ?? (spec.testId ? `${spec.testId}-${nameKey(f.name)}` : undefined);
  return (
    <StepCard title={spec.title} error={step.error} extra={spec.extra} testId={spec.testId}>
      {spec.hint && <Typography.Paragraph type="secondary">{spec.hint}</Typography.Paragraph>}
      <Form
        form={form}
        name={spec.name}
        layout="vertical"
        initialValues={spec.initial}
        onFinish={async (raw: Values) => {
          const { out, rows } = convert(spec.fields, raw);
          const done = typeof spec.done === 'function' ? spec.done(out) : spec.done;
          // A form that stays on the page (a case step, a process start) is emptied for the next entry.
          if (await step.submit({ input: spec.input(out) }, onRows(form, rows), done)) form.resetFields();
        }}
      >
        {spec.fields.filter((f) => !f.show || f.show(values)).map((f) => renderField(f, tid(f)))}
        <Button
          type={spec.danger ? 'default' : 'primary'}
          danger={spec.danger}
          htmlType="submit"
          loading={step.fetching}
          data-testid={spec.submitTestId ?? (spec.testId && `${spec.testId}-submit`)}
        >
          {spec.submit}
        </Button>
      </Form>
    </StepCard>
  );
}

function nameKey(name: FieldName): string {
  return Array.isArray(name) ? name.join('-') : name;
}

function renderField(f: Field, testId: string | undefined): React.ReactNode {
  const key = nameKey(f.name);
  switch (f.kind) {
    case 'check':
      return (
        <Form.Item key={key} name={f.name} valuePropName="checked">
          <Checkbox data-testid={testId}>{f.label}</Checkbox>
        </Form.Item>
      );
    case 'allocations':
      return <Allocations key={key} field={f} testId={testId} />;
    case 'list':
      return <ListField key={key} field={f} testId={testId} />;
    default:
      return (
        <Form.Item key={key} name={f.name} label={f.label}>
          {control(f, testId)}
        </Form.Item>
      );
  }
}

function control(f: Field, testId: string | undefined): React.ReactNode {
  switch (f.kind) {
    case 'textarea':
      return <Input.TextArea rows={f.rows ?? 2} data-testid={testId} placeholder={f.placeholder} />;
    case 'yuan':
      return <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid={testId} placeholder="元" />;
    case 'integer':
      return <InputNumber precision={0} style={{ width: '100%' }} data-testid={testId} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} data-testid={testId} />;
    case 'datetime':
      return <DatePicker showTime style={{ width: '100%' }} data-testid={testId} />;
    case 'enum':
      return (
        <Select
          options={f.options ?? (f.enum ? enumOptions(f.enum) : [])}
          showSearch={{ optionFilterProp: 'label' }}
          data-testid={testId}
        />
      );
    case 'multi':
      return (
        <Select
          mode="multiple"
          options={f.options ?? []}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={f.placeholder}
          data-testid={testId}
        />
      );
    case 'choice':
      return <Radio.Group options={(f.options ?? []).map((o) => ({ value: o.value, label: o.label }))} data-testid={testId} />;
    default:
      return <Input data-testid={testId} placeholder={f.placeholder} />;
  }
}

/** 工资发放到人: the roster, an amount in yuan per worker; a row left empty is not part of the payment. */
function Allocations({ field, testId }: { field: Field; testId?: string }) {
  const roster = field.roster ?? [];
  const base = Array.isArray(field.name) ? field.name : [field.name];
  return (
    <Form.Item label={field.label} data-testid={testId}>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={roster.map((r, i) => ({ ...r, i }))}
        locale={{ emptyText: '尚未登记欠薪人员' }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '尚欠', dataIndex: 'owed', render: yuan },
          {
            title: '本次（元）',
            render: (_: unknown, r: RosterLine & { i: number }) => (
              <Form.Item name={[...base, r.i, 'amount']} style={{ marginBottom: 0 }}>
                <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid={testId && `${testId}-${r.i}`} />
              </Form.Item>
            ),
          },
        ]}
      />
    </Form.Item>
  );
}

/** Rows the user adds and removes, each with the `columns` fields (e.g. an instalment's day and amount). */
function ListField({ field, testId }: { field: Field; testId?: string }) {
  const columns = field.columns ?? [];
  return (
    <Form.Item label={field.label}>
      <Form.List name={field.name}>
        {(rows, { add, remove }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {rows.map((row, i) => (
              <Space key={row.key} align="start" wrap>
                <Typography.Text type="secondary">{i + 1}.</Typography.Text>
                {columns.map((c) => (
                  <Form.Item key={nameKey(c.name)} name={[row.name, ...(Array.isArray(c.name) ? c.name : [c.name])]} label={c.label}>
                    {control(c, testId && `${testId}-${i}-${nameKey(c.name)}`)}
                  </Form.Item>
                ))}
                <Button size="small" onClick={() => remove(row.name)} style={{ marginTop: 30 }}>
                  删除
                </Button>
              </Space>
            ))}
            <Button size="small" onClick={() => add()} data-testid={testId && `${testId}-add`}>
              添加一行
            </Button>
          </Space>
        )}
      </Form.List>
    </Form.Item>
  );
}

/**
 * The form's values as the API takes them: yuan as integer fen, days as `YYYY-MM-DD`, instants as ISO, an
 * allocation table as the rows given an amount (with, per field, which form row each sent row came from).
 */
export function convert(fields: readonly Field[], raw: Values): { out: Values; rows: Map<string, number[]> } {
  const out: Values = {};
  const rows = new Map<string, number[]>();
  for (const f of fields) {
    if (f.show && !f.show(raw)) continue;
    const path = Array.isArray(f.name) ? f.name : [f.name];
    const value = path.reduce<unknown>((v, p) => (v == null ? undefined : (v as Values)[p]), raw);
    let converted: unknown;
    if (f.kind === 'allocations') {
      const given = ((value as Array<{ amount?: number | null } | undefined>) ?? []).map((row, i) => ({ i, amount: row?.amount }));
      const sent = given.filter((g) => g.amount != null && Number(g.amount) > 0 && f.roster?.[g.i]);
      rows.set(
        nameKey(f.name),
        sent.map((g) => g.i),
      );
      converted = sent.map((g) => ({ owedWorkerId: f.roster![g.i]!.id, amount: fen(g.amount) }));
    } else if (f.kind === 'list') {
      converted = ((value as Values[] | undefined) ?? []).filter(Boolean).map((row) => convert(f.columns ?? [], row).out);
    } else converted = scalar(f, value);
    setPath(out, path, converted);
  }
  return { out, rows };
}

function scalar(f: Field, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return f.kind === 'check' ? false : null;
  switch (f.kind) {
    case 'yuan':
      return fen(value as number);
    case 'date':
      return dayjs(value as string).format('YYYY-MM-DD');
    case 'datetime':
      return dayjs(value as string).toISOString();
    default:
      return value;
  }
}

/** Yuan (as entered, two decimals) to integer fen. */
export function fen(yuanAmount: number | string | null | undefined): number {
  return Math.round(Number(yuanAmount ?? 0) * 100);
}

function setPath(target: Values, path: ReadonlyArray<string | number>, value: unknown): void {
  let at = target;
  path.forEach((p, i) => {
    if (i === path.length - 1) at[p] = value;
    else at = at[p] ??= {};
  });
}

/**
 * The form as `showApiErrors` sees it: the API names an allocation by its place in what was sent
 * (`allocations[1].amount` or `allocations.1.amount`); the error goes on the row of the table it came from.
 */
function onRows(form: FormInstance, rows: Map<string, number[]>): FormInstance {
  const place = (name: ReadonlyArray<string | number>): Array<string | number> => {
    const flat: Array<string | number> = [];
    for (const part of name)
      for (const p of typeof part === 'string' ? part.split(/[[\]]/).filter(Boolean) : [part])
        flat.push(/^\d+$/.test(String(p)) ? Number(p) : p);
    const sent = rows.get(String(flat[0]));
    const at = flat[1];
    if (sent && typeof at === 'number' && sent[at] !== undefined) return [flat[0]!, sent[at]!, ...flat.slice(2)];
    return flat;
  };
  return {
    ...form,
    setFields: (fields) =>
      form.setFields(fields.map((f) => ({ ...f, name: place((Array.isArray(f.name) ? f.name : [f.name]) as Array<string | number>) }))),
  };
}
