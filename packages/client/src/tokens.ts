import type { Messages } from '@g4f/core';
import { countTokens as count, decode, encode } from 'gpt-tokenizer';

// Special-token text such as `<|endoftext|>` is ordinary text in an answer, not a reason to throw.
const asText = { disallowedSpecial: new Set<string>() };

/** Tokens of `text` in OpenAI's o200k encoding: an estimate of what the upstream model counts. */
export function countTokens(text: string): number {
  return text === '' ? 0 : count(text, asText);
}

/** Prompt tokens as OpenAI's cookbook estimates them: content plus 3 per message plus 3. */
export function countPromptTokens(messages: Messages): number {
  let total = 3;
  for (const message of messages) total += 3 + countTokens(message.content);
  return total;
}

/** The first `limit` tokens of `text`, without a broken character at the end. */
export function firstTokens(text: string, limit: number): string {
  if (limit <= 0) return '';
  const head = decode(encode(text, asText).slice(0, limit));
  return head.endsWith('\uFFFD') && !text.startsWith(head) ? head.slice(0, -1) : head;
}
