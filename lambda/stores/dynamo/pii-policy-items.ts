import { InternalError } from '../../errors/gateway-error';
import type { LimitScope, PiiAction, PiiPolicy, PiiRule } from '../store';
import { type Item, marshalItem, optionalStringList, readString } from './attributes';
import { GSI1_PK, GSI1_SK } from './table';

/**
 * The item of a scope's data-protection rules: sk `PII` in the scope's partition, listed through the
 * sparse gsi1 partition `PIIPOLICIES`. Rules are a list of `type=action` or `type=redact+restore`
 * strings: the marshaller's lists hold strings, and the entries read in the console as an admin typed
 * them (`gatellm pii set`). Type names never hold `=`, so the first `=` splits an entry.
 */
export const PII_SK = 'PII';
export const PII_PARTITION = 'PIIPOLICIES';

const ACTIONS: readonly PiiAction[] = ['off', 'log', 'redact', 'block'];
const RESTORE_SUFFIX = '+restore';

function encodeRule(type: string, rule: PiiRule): string {
  return `${type}=${rule.action}${rule.restore === true ? RESTORE_SUFFIX : ''}`;
}

function decodeRule(entry: string): [string, PiiRule] {
  const at = entry.indexOf('=');
  const type = entry.slice(0, at);
  const text = entry.slice(at + 1);
  const restore = text.endsWith(RESTORE_SUFFIX);
  const action = ACTIONS.find((candidate) => candidate === (restore ? text.slice(0, -RESTORE_SUFFIX.length) : text));
  // The attribute name only, never the entry: a malformed item fails loudly without echoing data.
  if (at <= 0 || action === undefined) throw new InternalError("Stored item is malformed: attribute 'rules' holds an entry that is not type=action.");
  return [type, restore ? { action, restore } : { action }];
}

/** The item's fields besides its key (the caller adds pk and sk). */
export function piiPolicyFields(policy: PiiPolicy): Item {
  return marshalItem({
    [GSI1_PK]: PII_PARTITION, [GSI1_SK]: `${policy.scope}#${policy.scopeId}`,
    scope: policy.scope, scopeId: policy.scopeId,
    // Sorted, so the stored list does not depend on the order the rules arrived in.
    rules: Object.entries(policy.rules).map(([type, rule]) => encodeRule(type, rule)).sort(),
    updatedAt: policy.updatedAt,
  });
}

export function piiPolicyFromItem(item: Item): PiiPolicy {
  return {
    scope: readString(item, 'scope') as LimitScope,
    scopeId: readString(item, 'scopeId'),
    rules: Object.fromEntries((optionalStringList(item, 'rules') ?? []).map(decodeRule)),
    updatedAt: readString(item, 'updatedAt'),
  };
}
