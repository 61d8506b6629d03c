/** The `data:` payloads of an SSE text, one string per event (multi-line data joined with "\n"). */
export function parseSseData(text: string): string[] {
  const events: string[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split('\n\n')) {
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
    if (data.length > 0) events.push(data.join('\n'));
  }
  return events;
}
