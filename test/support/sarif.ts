import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import schema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

// The official SARIF 2.1.0 schema (draft-04), as a registry package ships it; one of its patterns is not valid
// under the `u` flag, so patterns are compiled without it.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema's errors for a SARIF log (an empty list when it is valid). */
export function sarifErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
