/** Who wrote a message; `tool` carries a tool's result back to the model. */
export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** A complete function call the model asked for, as OpenAI shapes it. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: {
    name: string;
    /** The arguments as the model wrote them: JSON text, not parsed. */
    arguments: string;
  };
}

/** One chat message, as OpenAI and g4f shape it. */
export interface Message {
  role: Role;
  content: string;
  /** On an assistant message: the calls it made, sent back with the tools' results. */
  tool_calls?: readonly ToolCall[];
  /** On a `tool` message: which call this is the result of. */
  tool_call_id?: string;
}

/** A conversation, oldest message first. */
export type Messages = Message[];
