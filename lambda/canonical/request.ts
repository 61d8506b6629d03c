/**
 * The canonical request: what every inbound API (Chat Completions, Responses, Messages) parses into
 * and every provider is called from. Provider-neutral: stages (budgets, PII) read prompt text and
 * `maxTokens` here without knowing any wire format. The original body travels beside it
 * (GatewayCall.body) for the same-format pass-through.
 */

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
}

export type ImageSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'base64'; readonly mediaType: string; readonly data: string };

export interface ImagePart {
  readonly type: 'image';
  readonly source: ImageSource;
}

/** A tool call the model made (in an assistant turn being replayed). */
export interface ToolCallPart {
  readonly type: 'tool_call';
  /** The call id, exactly as the model gave it (Chat `id`, Responses `call_id`, Anthropic `tool_use.id`). */
  readonly id: string;
  readonly name: string;
  /** The arguments as JSON text, exactly as the model produced them (`"{}"` when it gave none). */
  readonly arguments: string;
}

/** The result of a tool call, sent back by the client. */
export interface ToolResultPart {
  readonly type: 'tool_result';
  readonly toolCallId: string;
  readonly content: readonly (TextPart | ImagePart)[];
  /** Anthropic's `is_error`; formats without the field prefix the text instead of dropping it. */
  readonly isError: boolean;
}

/** Model reasoning replayed in an assistant turn. `signature` must travel byte-exact. */
export interface ThinkingPart {
  readonly type: 'thinking';
  readonly text: string;
  readonly signature?: string;
}

/** Anthropic's encrypted reasoning block, replayed byte-exact. */
export interface RedactedThinkingPart {
  readonly type: 'redacted_thinking';
  readonly data: string;
}

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart | RedactedThinkingPart;

/**
 * One conversation turn. Tool results travel in `user` turns (Chat's `tool` role messages become
 * tool_result parts of a user turn, in order).
 */
export interface CanonicalMessage {
  readonly role: 'user' | 'assistant';
  readonly content: readonly ContentPart[];
}

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments object. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
  /**
   * `custom`: a Responses custom tool (Codex's `apply_patch`) whose input is free text. Toward providers
   * without custom tools it is a function taking one string argument, `input` (CUSTOM_TOOL_INPUT); its
   * calls go back to the caller as custom tool calls. @default "function"
   */
  readonly kind?: 'function' | 'custom';
  /**
   * The Responses `namespace` (e.g. one MCP server's tools) the tool belongs to. Providers without
   * namespaces see it as `<namespace>__<tool>` (namespacedToolName), and its calls go back to the
   * caller split again.
   */
  readonly namespace?: string;
}

/** A namespaced tool's name toward providers that have no namespaces. */
export function namespacedToolName(namespace: string, name: string): string {
  return `${namespace}__${name}`;
}

/** The one argument a custom tool becomes toward providers that only know functions. */
export const CUSTOM_TOOL_INPUT = 'input';

export type ToolChoice =
  | { readonly type: 'auto' }
  | { readonly type: 'none' }
  /** The model must call some tool (Chat/Responses `required`, Anthropic `any`). */
  | { readonly type: 'required' }
  | { readonly type: 'tool'; readonly name: string };

export interface ReasoningRequest {
  /** OpenAI `reasoning_effort` / `reasoning.effort`; derived from a budget toward OpenAI. */
  readonly effort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Anthropic `thinking.budget_tokens`; derived from the effort toward Anthropic. */
  readonly budgetTokens?: number;
  /** The caller wants reasoning text back (Responses `reasoning.summary`, Anthropic thinking on). */
  readonly summary?: boolean;
}

export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | { readonly type: 'json_schema'; readonly name: string; readonly schema: Readonly<Record<string, unknown>>; readonly strict?: boolean };

export interface CanonicalRequest {
  /** The public model name or alias the caller asked for. */
  readonly model: string;
  /** System prompt blocks (Chat `system`/`developer` messages, Responses `instructions`, Anthropic `system`). */
  readonly system: readonly TextPart[];
  readonly messages: readonly CanonicalMessage[];
  readonly tools: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  /** false: at most one tool call per turn (Anthropic `disable_parallel_tool_use`). */
  readonly parallelToolCalls?: boolean;
  /** Upper bound on generated tokens (`max_tokens`, `max_completion_tokens`, `max_output_tokens`). */
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stop: readonly string[];
  readonly stream: boolean;
  /** Chat only: the caller asked for the usage chunk (`stream_options.include_usage`). */
  readonly streamIncludeUsage: boolean;
  readonly reasoning?: ReasoningRequest;
  readonly responseFormat?: ResponseFormat;
  /** End-user id for the provider's abuse tracking (`user`, `metadata.user_id`, `safety_identifier`). */
  readonly user?: string;
  /**
   * Body fields (top-level names, or paths such as `tools[2].type`) that only a provider speaking the
   * caller's own format can honour. Translation to another format fails with a 400 naming the first,
   * never drops it silently. Optimisation hints that are safe to drop (`cache_control`,
   * `context_management`, `prompt_cache_key`, `store: false`, …) are not listed.
   */
  readonly sameFormatOnly: readonly string[];
}
