import { open, rename, rm } from 'node:fs/promises';
import { NEXT_CURSOR_HEADER } from '../admin/api-types/usage';
import { toCsv } from '../admin/csv';
import { ApiError, type AdminClient, type QueryValues } from './client';
import type { CliIo } from './io';

/** Records asked for per page: large enough that a month exports in few round trips. */
export const EXPORT_PAGE_SIZE = 1000;

interface CsvPage {
  /** The header line, without its line break. */
  readonly header: string;
  /** The record lines, each ending in a line break. */
  readonly body: string;
  readonly records: number;
  readonly nextCursor: string | undefined;
}

/** Record separators outside quotes: a quoted field may hold a line break (RFC 4180). */
function splitCsv(text: string): { header: string; body: string; records: number } {
  let inQuotes = false;
  let headerEnd = -1;
  let records = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === '"') inQuotes = !inQuotes;
    else if (character === '\n' && !inQuotes) {
      if (headerEnd < 0) headerEnd = index;
      else records += 1;
    }
  }
  if (headerEnd < 0) return { header: text.trimEnd(), body: '', records: 0 };
  // A last record without a trailing line break still counts.
  const body = text.slice(headerEnd + 1);
  if (body !== '' && !body.endsWith('\n')) return { header: text.slice(0, headerEnd).replace(/\r$/, ''), body: `${body}\r\n`, records: records + 1 };
  return { header: text.slice(0, headerEnd).replace(/\r$/, ''), body, records };
}

/** A JSON page (a gateway that ignores format=csv) converted here, its columns those of its records. */
function csvFromJson(text: string): CsvPage {
  const parsed = JSON.parse(text) as { data?: unknown; nextCursor?: unknown };
  const rows = Array.isArray(parsed.data) ? (parsed.data as Record<string, unknown>[]) : [];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const { header, body } = splitCsv(toCsv(columns, rows));
  return { header, body, records: rows.length, nextCursor: typeof parsed.nextCursor === 'string' ? parsed.nextCursor : undefined };
}

async function fetchPage(client: AdminClient, query: QueryValues, cursor: string | undefined): Promise<CsvPage> {
  const response = await client.send('GET', '/usage/records', {
    query: { ...query, format: 'csv', limit: EXPORT_PAGE_SIZE, cursor }, accept: 'text/csv',
  });
  if ((response.headers.get('content-type') ?? '').includes('json')) return csvFromJson(response.text);
  const nextCursor = response.headers.get(NEXT_CURSOR_HEADER) ?? undefined;
  return { ...splitCsv(response.text), nextCursor: nextCursor === '' ? undefined : nextCursor };
}

function rateText(records: number, elapsedMs: number): string {
  return `${Math.round(records / Math.max(elapsedMs / 1000, 0.001)).toLocaleString('en-US')}/s`;
}

export interface ExportResult {
  readonly records: number;
  readonly pages: number;
}

/**
 * Pages through the usage records into a CSV file (one header line), written under `<out>.partial`
 * and renamed at the end, so an interrupted export never leaves a file that looks complete. On a
 * terminal, a progress line on stderr (records so far, rate); always one summary line at the end.
 */
export async function exportUsage(client: AdminClient, query: QueryValues, out: string, io: CliIo): Promise<ExportResult> {
  const started = io.now();
  const partial = `${out}.partial`;
  const file = await open(partial, 'w', 0o600);
  let records = 0;
  let pages = 0;
  let header: string | undefined;
  try {
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await fetchPage(client, query, cursor);
      pages += 1;
      if (header === undefined) {
        header = page.header;
        await file.write(`${header}\r\n`);
      }
      await file.write(page.body);
      records += page.records;
      if (io.stderrIsTty) io.err(`\r\u001b[2Kexporting: ${records.toLocaleString('en-US')} records (${rateText(records, io.now() - started)})`);
      cursor = page.nextCursor;
      if (cursor !== undefined && seen.has(cursor)) throw new ApiError(0, 'cursor_loop', 'The gateway returned the same page cursor twice; the export stopped.');
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
    await file.close();
    await rename(partial, out);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    if (io.stderrIsTty) io.err('\n');
    throw error;
  }
  const elapsed = io.now() - started;
  io.err(`${io.stderrIsTty ? '\r\u001b[2K' : ''}Exported ${records.toLocaleString('en-US')} records in ${pages} page${pages === 1 ? '' : 's'} to ${out} `
    + `(${(elapsed / 1000).toFixed(1)} s, ${rateText(records, elapsed)}).\n`);
  return { records, pages };
}
