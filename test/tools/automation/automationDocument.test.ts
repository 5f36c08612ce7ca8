import { expect } from 'chai';
import { configuredValues, isDeployTime, type ParameterValues, resolveParameters } from '../../../tools/automation/parameterValues';
import { remediationOf } from '../../../tools/automation/remediationOf';
import { renderText } from '../../../tools/automation/renderText';
import type { Template } from '../../../tools/package/Template';
import templateFixture from '../fixtures/remediation-template.json';

// How the remediation document's Payload is rendered as Automation would, on a small
// template shaped like the packaged one (fixtures/remediation-template.json).

const USER_ID = 'AIDA5DEMOBOB000000002';
const EXECUTION_ID = '4c6f1a2b-9d3e-4f5a-8b7c-0123456789ab';
const template = () => structuredClone(templateFixture) as unknown as Template;

describe('tools: remediationOf', () => {
  it('finds the document the remediation configuration targets, its invoke step and the function it invokes', () => {
    // Act
    const remediation = remediationOf(template());

    // Assess
    expect(remediation.documentLogicalId).to.equal('AccessKeyRemediationDocument');
    expect(remediation.step.name).to.equal('RemediateAccessKeys');
    expect(remediation.functionLogicalId).to.equal('RemediateLambdaFunction');
    expect(remediation.document.parameters?.Action?.allowedValues).to.deep.equal(['Deactivate']);
  });

  it('finds the invoke step among other steps, and an empty default passes through as empty text', () => {
    // Prepare: a document whose invoke step comes second, and whose MaxAccessKeys defaults to empty.
    const reordered = template();
    const content = reordered.Resources.AccessKeyRemediationDocument!.Properties!.Content as {
      parameters: Record<string, object>;
      mainSteps: object[];
    };
    content.parameters.MaxAccessKeys = { type: 'String', default: '', allowedPattern: '^(\\d+)?$' };
    content.mainSteps.unshift({ name: 'Wait', action: 'aws:sleep', inputs: { Duration: 'PT0S' } });
    const parameters = (reordered.Resources.AccessKeyRemediation!.Properties as { Parameters: Record<string, unknown> }).Parameters;
    delete parameters.MaxAccessKeys;

    // Act
    const remediation = remediationOf(reordered);
    const values = resolveParameters(remediation.document, configuredValues(remediation.parameters, USER_ID));

    // Assess
    expect(remediation.step.name).to.equal('RemediateAccessKeys');
    expect(JSON.parse(renderText(remediation.step.inputs.Payload, values, EXECUTION_ID))).to.deep.include({ MaxAccessKeys: '' });
  });

  it('fails naming the resource type when remediation is not in the template', () => {
    // Prepare
    const withoutRemediation = template();
    delete withoutRemediation.Resources.AccessKeyRemediation;

    // Act, Assess
    expect(() => remediationOf(withoutRemediation)).to.throw(/0 AWS::Config::RemediationConfiguration resources/);
  });
});

describe('tools: configuredValues', () => {
  it('passes the resource id for RESOURCE_ID, static values as given, and marks values known only at deploy time', () => {
    // Act
    const values = configuredValues(remediationOf(template()).parameters, USER_ID);

    // Assess
    expect(isDeployTime(values.AutomationAssumeRole!)).to.equal(true);
    expect({ ...values, AutomationAssumeRole: 'deploy-time' }).to.deep.equal({
      AutomationAssumeRole: 'deploy-time',
      IAMResourceId: USER_ID,
      MaxAccessKeys: '1',
      Action: 'Deactivate',
      DryRun: 'false',
    });
  });
});

describe('tools: resolveParameters and renderText', () => {
  const remediation = remediationOf(template());
  const render = (given: ParameterValues) =>
    JSON.parse(renderText(remediation.step.inputs.Payload, resolveParameters(remediation.document, given), EXECUTION_ID));

  it('renders the Payload with the given values and the execution id', () => {
    // Act
    const payload = render(configuredValues(remediation.parameters, USER_ID));

    // Assess
    expect(payload).to.deep.equal({
      IAMResourceId: USER_ID,
      MaxAccessKeys: '1',
      Action: 'Deactivate',
      DryRun: 'false',
      AutomationExecutionId: EXECUTION_ID,
    });
  });

  it("takes a parameter's default when it is not given, as text", () => {
    // Act
    const payload = render({ IAMResourceId: USER_ID });

    // Assess
    expect(payload).to.deep.include({ MaxAccessKeys: '1', Action: 'Deactivate', DryRun: 'false' });
  });

  const refused: [string, ParameterValues, RegExp][] = [
    ['a required parameter nobody gives', {}, /^Parameter IAMResourceId is required by the document and was not given$/],
    ['a value not matching allowedPattern', { IAMResourceId: 'alice' }, /^Parameter IAMResourceId: "alice" does not match allowedPattern/],
    [
      'a value outside allowedValues',
      { IAMResourceId: USER_ID, Action: 'Delete' },
      /^Parameter Action: "Delete" is not one of allowedValues Deactivate$/,
    ],
    [
      'an Integer that is not a whole number',
      { IAMResourceId: USER_ID, MaxAccessKeys: '1.5' },
      /^Parameter MaxAccessKeys: "1.5" is not an Integer$/,
    ],
    ['a Boolean that is not true or false', { IAMResourceId: USER_ID, DryRun: 'yes' }, /^Parameter DryRun: "yes" is not a Boolean$/],
    [
      'a parameter the document does not declare',
      { IAMResourceId: USER_ID, DryRn: 'true' },
      /^Parameter DryRn is not declared in the document$/,
    ],
  ];
  for (const [what, given, message] of refused) {
    it(`refuses ${what}, naming the parameter`, () => {
      expect(() => resolveParameters(remediation.document, given)).to.throw(message);
    });
  }

  it('fails naming a placeholder that is neither a parameter nor an Automation variable', () => {
    expect(() => renderText('{"x": "{{ Unknown }}"}', {}, EXECUTION_ID)).to.throw(/^\{\{ Unknown \}\} is neither a parameter/);
  });

  it("replaces {{ Step.Output }} with an earlier step's output, an object as JSON", () => {
    // Act
    const text = renderText('{"a": "{{ Invoke.Payload }}", "b": {{ Script.Payload }}}', {}, EXECUTION_ID, {
      'Invoke.Payload': 'text',
      'Script.Payload': { ok: true },
    });

    // Assess
    expect(text).to.equal('{"a": "text", "b": {"ok":true}}');
  });

  it('fails naming an output no earlier step produced (FunctionError after a success, say)', () => {
    expect(() => renderText('{{ RemediateAccessKeys.FunctionError }}', {}, EXECUTION_ID, { 'RemediateAccessKeys.Payload': '{}' })).to.throw(
      /^\{\{ RemediateAccessKeys\.FunctionError \}\}: no earlier step produced that output$/,
    );
  });

  it('fails naming a value that is only known once the stack is deployed', () => {
    // Prepare
    const values = resolveParameters(remediation.document, { IAMResourceId: USER_ID });

    // Act, Assess
    expect(() => renderText('{{ AutomationAssumeRole }}', values, EXECUTION_ID)).to.throw(
      /^\{\{ AutomationAssumeRole \}\} is only known once the stack is deployed$/,
    );
  });
});
