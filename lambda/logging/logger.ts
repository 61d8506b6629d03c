/**
 * Structured JSON logs, one line per entry. Prompt and completion bodies are never logged: callers
 * pass metadata fields only. A tiny logger instead of a library keeps the Lambda bundle small; the
 * line shape (level, message, time, fields) is what CloudWatch Logs Insights queries expect.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Readonly<Record<string, string | number | boolean | undefined | null>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * Whether entries at `level` are written: lets a caller skip building fields nobody reads (the
   * per-request line). Loggers without it are taken to write everything.
   */
  enabled?(level: Exclude<LogLevel, 'silent'>): boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const level = value?.toLowerCase();
  return level !== undefined && level in RANK ? (level as LogLevel) : fallback;
}

export function createJsonLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const threshold = RANK[level];
  const emit = (entryLevel: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (RANK[entryLevel] < threshold) return;
    write(`${JSON.stringify({ level: entryLevel, message, time: new Date().toISOString(), ...fields })}\n`);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    enabled: (entryLevel) => RANK[entryLevel] >= threshold,
  };
}

export const silentLogger: Logger = createJsonLogger('silent');

/** The logger adapters use: JSON lines on stdout at GATELLM_LOG_LEVEL (default info). */
export function createLogger(level: string | undefined): Logger {
  return createJsonLogger(parseLogLevel(level));
}
