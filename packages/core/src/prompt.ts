import type { Messages } from './messages.js';

function capitalize(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1).toLowerCase();
}

/** Options of {@link formatPrompt}. */
export interface FormatPromptOptions {
  /** Leave off the trailing `\nAssistant:` (g4f `do_continue`). */
  doContinue?: boolean;
  /** Keep system messages (default true). */
  includeSystem?: boolean;
}

/**
 * Flattens a conversation into one prompt as g4f's `format_prompt` does: a single message
 * is sent bare; otherwise one `Role: content` line per non-blank message, then `\nAssistant:`.
 */
export function formatPrompt(messages: Messages, options: FormatPromptOptions = {}): string {
  const kept =
    options.includeSystem === false ? messages.filter((m) => m.role !== 'system') : messages;
  if (kept.length === 1) return kept[0]!.content;
  const lines = kept
    .filter((m) => m.content.trim() !== '')
    .map((m) => `${capitalize(m.role)}: ${m.content}`)
    .join('\n');
  return options.doContinue ? lines : `${lines}\nAssistant:`;
}

/** Every system message's content joined with `\n` (g4f `get_system_prompt`). */
export function getSystemPrompt(messages: Messages): string {
  return messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n');
}

/**
 * The last run of user messages, trimmed and joined with `\n`, skipping anything after it
 * (g4f `get_last_user_message`).
 */
export function getLastUserMessage(messages: Messages): string {
  let end = messages.length;
  while (end > 0 && messages[end - 1]!.role !== 'user') end--;
  let start = end;
  while (start > 0 && messages[start - 1]!.role === 'user') start--;
  return messages
    .slice(start, end)
    .map((m) => m.content.trim())
    .join('\n');
}
