'use strict';

// The rule's InputParameters, built from the deploy options (Serverless params). Options left
// empty are left out, so the rule uses its own default and Config shows only what was set.
const NAMES = ['maxAccessKeys', 'countInactiveKeys', 'exemptUserNames', 'exemptTag', 'rotationGraceHours', 'executionRoleName'];

module.exports.inputParameters = async ({ resolveVariable }) => {
  const parameters = {};
  for (const name of NAMES) {
    const value = String(await resolveVariable(`param:${name}`)).trim();
    if (value !== '') parameters[name] = value;
  }
  return parameters;
};
