/**
 * A record's data-protection counts as one flat string, `email=2,api_key=1`, where a flat attribute or
 * cell is wanted (DynamoDB items, CSV). Type names are lower snake case, so the pairs need no escaping.
 */
export function formatPiiCounts(found: Readonly<Record<string, number>>, separator = ','): string {
  return Object.entries(found).map(([type, count]) => `${type}=${count}`).join(separator);
}

export function parsePiiCounts(text: string, separator = ','): Record<string, number> {
  return Object.fromEntries(text.split(separator).filter((pair) => pair.includes('=')).map((pair) => {
    const at = pair.lastIndexOf('=');
    return [pair.slice(0, at), Number(pair.slice(at + 1))];
  }));
}
