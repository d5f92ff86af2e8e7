import { describe, expect, it } from 'vitest';
import type { Messages } from './messages.js';
import { formatPrompt, getLastUserMessage, getSystemPrompt } from './prompt.js';

const conversation: Messages = [
  { role: 'system', content: 'Be brief' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello' },
  { role: 'user', content: 'Bye' },
];

describe('formatPrompt', () => {
  it("matches g4f's example", () => {
    expect(formatPrompt(conversation)).toBe(
      'System: Be brief\nUser: Hi\nAssistant: Hello\nUser: Bye\nAssistant:',
    );
  });

  it('sends a single message bare', () => {
    expect(formatPrompt([{ role: 'user', content: 'Only me' }])).toBe('Only me');
  });

  it('skips blank messages, can leave out system messages and the suffix', () => {
    const messages: Messages = [...conversation, { role: 'assistant', content: '  ' }];
    expect(formatPrompt(messages, { includeSystem: false, doContinue: true })).toBe(
      'User: Hi\nAssistant: Hello\nUser: Bye',
    );
  });
});

describe('getSystemPrompt and getLastUserMessage', () => {
  it('join system messages', () => {
    expect(getSystemPrompt([...conversation, { role: 'system', content: 'Be kind' }])).toBe(
      'Be brief\nBe kind',
    );
    expect(getSystemPrompt([{ role: 'user', content: 'x' }])).toBe('');
  });

  it('take the trailing run of user messages, skipping what follows it', () => {
    const messages: Messages = [
      { role: 'user', content: 'old' },
      { role: 'assistant', content: 'a' },
      { role: 'user', content: ' first ' },
      { role: 'user', content: 'second' },
      { role: 'assistant', content: 'ignored' },
    ];
    expect(getLastUserMessage(messages)).toBe('first\nsecond');
    expect(getLastUserMessage([{ role: 'assistant', content: 'x' }])).toBe('');
  });
});
