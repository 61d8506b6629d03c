import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UsageRecord } from '../../../lambda/stores/store';
import { describeExchanges } from './loopback';
import type { RunResult } from './run-process';
import type { ToolGateway } from './tool-gateway';

export interface UpstreamRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

export interface TurnExpectation {
  /** e.g. `claude -p (claude-sonnet-5-5, ANTHROPIC_AUTH_TOKEN)`, for messages. */
  readonly label: string;
  readonly run: RunResult;
  /** The tool's answer as it reported it (Claude Code's `result`, Codex's last message); undefined when it gave none. */
  readonly answer: string | undefined;
  /** Text the fake provider answers with. */
  readonly expectedText: string;
  readonly model: string;
  /** Requests the fake provider received during the run. */
  readonly upstream: readonly UpstreamRequest[];
  /** The provider path every turn must have used, e.g. `/v1/messages`. */
  readonly upstreamPath: string;
  /** Part of the User-Agent the tool sends, e.g. `claude-cli`. */
  readonly userAgent: string;
}

function cut(text: string, chars = 4000): string {
  return text.length > chars ? `${text.slice(0, chars)}… (${text.length} chars)` : text;
}

/** Everything needed to tell what went wrong: the CLI's output, every exchange with the gateway, egress attempts. */
function diagnostics(tools: ToolGateway, expectation: TurnExpectation, usage: readonly UsageRecord[], transcript: string): string {
  return [
    `Full transcript: ${transcript}${process.env['GATELLM_TOOLS_KEEP'] === undefined ? ' (removed after the run; set GATELLM_TOOLS_KEEP=1 to keep it)' : ''}`,
    `${expectation.label}: ${expectation.run.describe()}`,
    `--- stdout ---\n${cut(expectation.run.stdout)}`,
    `--- stderr ---\n${cut(expectation.run.stderr)}`,
    `--- tool ⇄ gateway (${tools.recorder.exchanges.length}) ---\n${describeExchanges(tools.recorder.exchanges)}`,
    `--- gateway → provider (${expectation.upstream.length}) ---\n${expectation.upstream.map((r) => `${r.method} ${r.path}`).join('\n')}`,
    `--- usage records ---\n${JSON.stringify(usage.map((r) => ({ model: r.requestedModel, status: r.status, http: r.httpStatus, in: r.inputTokens, out: r.outputTokens, error: r.errorCode })))}`,
    `--- egress attempts ---\n${tools.egress.attempts.join('\n') || '(none)'}`,
  ].join('\n');
}

/**
 * Asserts that the tool completed its turn through the gateway: exit 0, the fake's text in its answer,
 * every turn answered 200 by the gateway and served by the expected provider route (the gateway key never
 * forwarded), usage metered from the provider's own numbers, and no connection beyond loopback.
 */
export async function expectCompletedTurn(tools: ToolGateway, expectation: TurnExpectation): Promise<void> {
  const usage = await tools.usage();
  // Every byte each side sent, for reading after a failure (or, with GATELLM_TOOLS_KEEP=1, after a pass).
  const transcript = join(tools.scratch, `${expectation.label.replace(/[^A-Za-z0-9.-]+/g, '_')}.json`);
  await writeFile(transcript, JSON.stringify({
    label: expectation.label, exit: expectation.run.describe(), stdout: expectation.run.stdout, stderr: expectation.run.stderr,
    exchanges: tools.recorder.exchanges, upstream: expectation.upstream, usage, egress: tools.egress.attempts,
  }, null, 2));
  const fail = (what: string): never => {
    throw new Error(`${what}\n\n${diagnostics(tools, expectation, usage, transcript)}`);
  };
  const { run, answer, expectedText, model, upstream, upstreamPath } = expectation;
  if (run.timedOut || run.exitCode !== 0) fail(`the CLI did not finish cleanly (${run.describe()})`);
  if (answer === undefined || !answer.includes(expectedText)) fail(`the answer ${JSON.stringify(answer)} lacks the fake provider's text ${JSON.stringify(expectedText)}`);
  const failed = tools.recorder.exchanges.filter((exchange) => exchange.method === 'POST' && exchange.status !== 200);
  if (failed.length > 0) fail(`the gateway answered ${failed.length} POST(s) with an error status`);
  const served = upstream.filter((request) => request.method === 'POST' && request.path === upstreamPath);
  if (served.length === 0) fail(`the fake provider received no POST ${upstreamPath}`);
  for (const request of upstream) {
    if (JSON.stringify(request.headers).includes(tools.key)) fail('the gateway key was forwarded to the provider');
  }
  const records = usage.filter((record) => record.requestedModel === model);
  if (records.length < served.length) fail(`${served.length} provider call(s) but ${records.length} usage record(s) for ${model}`);
  for (const record of records) {
    if (record.status !== 'ok' || record.usageEstimated || record.inputTokens <= 0 || record.outputTokens <= 0 || record.costUsd <= 0) {
      fail(`usage record not metered from the provider: ${JSON.stringify(record)}`);
    }
    if (record.userAgent?.includes(expectation.userAgent) !== true) fail(`usage record user agent ${String(record.userAgent)} lacks ${expectation.userAgent}`);
  }
  if (tools.egress.attempts.length > 0) fail(`the CLI tried to reach beyond loopback: ${tools.egress.attempts.join(', ')}`);
}
