/** Who wrote a message. */
export type Role = 'system' | 'user' | 'assistant';

/** One chat message, as OpenAI and g4f shape it. */
export interface Message {
  role: Role;
  content: string;
}

/** A conversation, oldest message first. */
export type Messages = Message[];
