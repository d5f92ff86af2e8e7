import { type LanguageModelV3Prompt, UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { splitText } from '@g4f/core/replica';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertToG4FMessages } from './convert-to-g4f-messages.js';

/** `text` cut at the given points into text parts. */
function split(text: string, cuts: number[]): { type: 'text'; text: string }[] {
  return splitText(text, cuts).map((piece) => ({ type: 'text', text: piece }));
}

describe('convertToG4FMessages', () => {
  it('gives the same message for any split of a text into parts', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.array(fc.nat()),
        fc.array(fc.nat()),
        (text, userCuts, assistantCuts) => {
          const prompt: LanguageModelV3Prompt = [
            { role: 'system', content: 'sys' },
            { role: 'user', content: split(text, userCuts) },
            { role: 'assistant', content: split(text, assistantCuts) },
          ];
          expect(convertToG4FMessages(prompt)).toEqual({
            messages: [
              { role: 'system', content: 'sys' },
              { role: 'user', content: text },
              { role: 'assistant', content: text },
            ],
            warnings: [],
          });
        },
      ),
    );
  });

  it('leaves reasoning out of the prompt with a warning', () => {
    const { messages, warnings } = convertToG4FMessages([
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'hmm' },
          { type: 'text', text: 'Yes.' },
        ],
      },
    ]);
    expect(messages).toEqual([{ role: 'assistant', content: 'Yes.' }]);
    expect(warnings).toEqual([
      {
        type: 'other',
        message: 'A reasoning part in an assistant message was left out of the prompt',
      },
    ]);
  });

  it.each([
    [
      [{ role: 'assistant', content: [{ type: 'file', data: 'AAAA', mediaType: 'image/jpeg' }] }],
      'image part (image/jpeg) in an assistant message',
    ],
    [
      [
        {
          role: 'tool',
          content: [{ type: 'tool-approval-response', approvalId: 'a', approved: true }],
        },
      ],
      'tool-approval-response part in a tool message',
    ],
  ] as [LanguageModelV3Prompt, string][])('refuses %j', (prompt, functionality) => {
    try {
      convertToG4FMessages(prompt);
      expect.unreachable();
    } catch (error) {
      expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
      expect((error as UnsupportedFunctionalityError).functionality).toBe(functionality);
    }
  });
});
