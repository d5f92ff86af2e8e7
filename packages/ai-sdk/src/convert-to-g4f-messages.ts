import {
  type LanguageModelV3Prompt,
  type SharedV3Warning,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import type { Message, Messages } from '@g4f/core';

/** The g4f conversation of an AI SDK prompt, and what was left out on the way. */
export interface ConvertedPrompt {
  messages: Messages;
  warnings: SharedV3Warning[];
}

/** How a file part is named in errors: images apart, since the AI SDK sends them as files too. */
function describeFile(mediaType: string, where: 'a user' | 'an assistant'): string {
  const kind = mediaType.startsWith('image/') ? 'image' : 'file';
  return `${kind} part (${mediaType}) in ${where} message`;
}

function unsupported(functionality: string): UnsupportedFunctionalityError {
  return new UnsupportedFunctionalityError({
    functionality,
    message: `g4f providers take text only: ${functionality} is not supported`,
  });
}

/**
 * Turns an AI SDK prompt into g4f messages. Text parts of one message are joined as g4f's
 * `to_string` joins them (no separator). Files, images, tool calls and tool results raise
 * `UnsupportedFunctionalityError` naming the part: a g4f provider cannot take them, and
 * dropping them would change the question. Reasoning parts of earlier answers are left out
 * with a warning, since they were never part of the answer's text.
 */
export function convertToG4FMessages(prompt: LanguageModelV3Prompt): ConvertedPrompt {
  const messages: Message[] = [];
  const warnings: SharedV3Warning[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user': {
        let content = '';
        for (const part of message.content) {
          if (part.type === 'text') content += part.text;
          else throw unsupported(describeFile(part.mediaType, 'a user'));
        }
        messages.push({ role: 'user', content });
        break;
      }
      case 'assistant': {
        let content = '';
        for (const part of message.content) {
          switch (part.type) {
            case 'text':
              content += part.text;
              break;
            case 'reasoning':
              warnings.push({
                type: 'other',
                message: 'A reasoning part in an assistant message was left out of the prompt',
              });
              break;
            case 'file':
              throw unsupported(describeFile(part.mediaType, 'an assistant'));
            default:
              throw unsupported(`${part.type} part (${part.toolName}) in an assistant message`);
          }
        }
        messages.push({ role: 'assistant', content });
        break;
      }
      case 'tool': {
        const part = message.content[0];
        const name = part?.type === 'tool-result' ? ` (${part.toolName})` : '';
        throw unsupported(`${part?.type ?? 'tool'} part${name} in a tool message`);
      }
      default: {
        const role: never = message;
        throw unsupported(`a message with role ${String((role as { role: unknown }).role)}`);
      }
    }
  }
  return { messages, warnings };
}
