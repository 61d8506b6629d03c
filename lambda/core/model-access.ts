/**
 * Key model restrictions are glob patterns over public model names: `gpt-4o*`, `claude-*`, `*`.
 * Only `*` is special; everything else matches literally.
 */
const compiled = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (regexp === undefined) {
    const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    regexp = new RegExp(`^${source}$`);
    compiled.set(pattern, regexp);
  }
  return regexp;
}

export function modelAllowed(patterns: readonly string[], model: string): boolean {
  return patterns.length === 0 || patterns.some((pattern) => toRegExp(pattern).test(model));
}
