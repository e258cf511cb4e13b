import { useState } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { enumOptions, label } from '../labels';
import { showApiErrors } from '../errors';

const Intake = graphql(`
  mutation IntakeComplaint($input: IntakeComplaintInput!) {
    intakeComplaint(input: $input) {
      outcome
      caseNumber
      owningAgency {
        name
      }
      case {
        id
      }
    }
  }
`);

interface Values {
  channel: string;
  contactPhone: string;
  complainantName?: string;
  description: string;
  employerName?: string;
  regionCode?: string;
  projectCode?: string;
  workersAffected?: number;
  amountClaimedYuan?: number;
}

/** 零门槛受理: a phone and a description are enough; the rest when the complainant knows it. */
export function IntakeForm({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const [form] = Form.useForm<Values>();
  const [state, intake] = useMutation(Intake);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();

  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    const { amountClaimedYuan, ...given } = v;
    // An emptied field is not given (the API checks what is given: an empty region code is not a code).
    const rest = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== '' && value !== undefined && value !== null));
    const result = await intake({
      input: {
        ...rest,
        channel: v.channel as never,
        contactPhone: v.contactPhone,
        description: v.description,
        idempotencyKey: crypto.randomUUID(),
        ...(amountClaimedYuan !== undefined && amountClaimedYuan !== null ? { amountClaimed: Math.round(amountClaimedYuan * 100) } : {}),
      },
    });
    if (result.error) {
      setError(showApiErrors(result.error, form));
      return;
    }
    const r = result.data!.intakeComplaint;
    message.success(`${label('IntakeOutcome', r.outcome)}：${r.caseNumber}（${r.owningAgency.name}）`);
    form.resetFields();
    onDone();
    onClose();
  };

  return (
    <Modal
      title="登记投诉（零门槛受理）"
      open={open}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={state.fetching}
      okText="登记"
      okButtonProps={{ 'data-testid': 'intake-submit' } as never}
    >
      <Form form={form} layout="vertical" initialValues={{ channel: 'WALK_IN' }}>
        <Form.Item name="channel" label="来源渠道" rules={[{ required: true }]}>
          <Select options={enumOptions('Channel')} />
        </Form.Item>
        <Form.Item name="contactPhone" label="联系电话" rules={[{ required: true, message: '请填写联系电话' }]}>
          <Input data-testid="intake-phone" />
        </Form.Item>
        <Form.Item name="complainantName" label="投诉人姓名">
          <Input />
        </Form.Item>
        <Form.Item name="description" label="反映情况" rules={[{ required: true, message: '请填写反映情况' }]}>
          <Input.TextArea rows={3} data-testid="intake-description" />
        </Form.Item>
        <Form.Item name="employerName" label="用人单位（投诉人所述）">
          <Input data-testid="intake-employer" />
        </Form.Item>
        <Form.Item name="projectCode" label="项目编号">
          <Input data-testid="intake-project" />
        </Form.Item>
        <Form.Item name="regionCode" label="属地行政区划代码" extra="无已知项目或用人单位时必填，如 110102">
          <Input data-testid="intake-region" />
        </Form.Item>
        <Form.Item name="workersAffected" label="涉及人数">
          <InputNumber min={1} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="amountClaimedYuan" label="诉求金额（元）">
          <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid="intake-amount" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" title={error} data-testid="form-error" />}
    </Modal>
  );
}
