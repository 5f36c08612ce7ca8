/** What to do after the demo: deploy with its options, run the rule, remediate, test. */
export function nextSteps(deployOptions: Record<string, string>, configRuleName: string): string[] {
  const params = Object.entries(deployOptions)
    .map(([name, value]) => ` --param="${name}=${value}"`)
    .join('');
  return [
    'Deploy for real, in the one region where AWS Config records IAM users (needs AWS credentials):',
    `  npx serverless deploy --stage prod --region <region>${params}`,
    "  (the demo's options; leave them out for the defaults; every option is listed in README.md)",
    'Run the rule now instead of waiting for the schedule, then read its findings:',
    `  aws configservice start-config-rules-evaluation --config-rule-names ${configRuleName}`,
    `  aws configservice get-compliance-details-by-config-rule --config-rule-name ${configRuleName} --compliance-types NON_COMPLIANT`,
    'Remediate one user (dry run first; the document name is the stack output RemediationDocumentName):',
    '  aws ssm start-automation-execution --document-name <RemediationDocumentName> --parameters IAMResourceId=<user id>,DryRun=true',
    'Run the tests: npm test',
  ];
}
