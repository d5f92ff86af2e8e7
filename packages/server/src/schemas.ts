import type { Message } from '@g4f/core';
import { z } from 'zod';
import { HttpError } from './http-error.js';

const textPart = z.object({ type: z.literal('text'), text: z.string() });

const toolCall = z.object({
  id: z.string().max(200),
  type: z.literal('function'),
  function: z.object({ name: z.string().max(200), arguments: z.string() }),
});

const message = z
  .object({
    // OpenAI's newer `developer` role is a system message to g4f's providers.
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    // `null` on an assistant message that only called tools, as OpenAI sends it back.
    content: z.union([z.string(), z.array(textPart).min(1), z.null()]),
    name: z.string().optional(),
    tool_calls: z.array(toolCall).max(128).optional(),
    tool_call_id: z.string().max(200).optional(),
  })
  .refine((m) => m.role !== 'tool' || m.tool_call_id !== undefined, {
    message: 'is required on a tool message',
    path: ['tool_call_id'],
  });

/** A tool definition; its schema is the upstream's business, so only its shape is checked. */
const tool = z.looseObject({
  type: z.string(),
  function: z.looseObject({ name: z.string().min(1).max(200) }),
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.string(), function: z.looseObject({ name: z.string() }) }),
]);

const stop = z.union([z.string(), z.array(z.string()).max(16)]);

/** `POST /v1/chat/completions`: OpenAI's fields the providers can honour, plus g4f's. */
export const chatRequestSchema = z.object({
  model: z.string().max(200).optional(),
  messages: z.array(message).min(1).max(10_000),
  stream: z.boolean().optional(),
  provider: z.string().min(1).max(200).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stop: stop.nullable().optional(),
  n: z.literal(1).optional(),
  proxy: z.string().url().optional(),
  api_base: z.string().url().optional(),
  web_search: z.boolean().optional(),
  tools: z.array(tool).max(128).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().optional(),
  reasoning_effort: z.string().max(20).optional(),
});

/** `POST /v1/images/generations`. */
export const imageRequestSchema = z.object({
  prompt: z.string().min(1).max(32_000),
  model: z.string().max(200).optional(),
  provider: z.string().min(1).max(200).optional(),
  response_format: z.enum(['url', 'b64_json']).optional(),
  n: z.number().int().min(1).max(10).optional(),
  size: z
    .string()
    .regex(/^\d{1,5}x\d{1,5}$/, 'must look like 1024x1024')
    .optional(),
  proxy: z.string().url().optional(),
  api_base: z.string().url().optional(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ImageRequest = z.infer<typeof imageRequestSchema>;

/** Validates `body` against `schema`; a failure is a 400 that names the first bad field. */
export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      'The request body must be a JSON object',
      'invalid_request_error',
      'invalid_body',
    );
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || '(body)';
  const message = `Invalid field ${field}: ${issue?.message ?? 'invalid'}`;
  throw new HttpError(400, message, 'invalid_request_error', 'invalid_field', {}, undefined, field);
}

/** Flattens OpenAI's content parts to the plain text g4f's providers take, tool fields kept. */
export function toProviderMessages(messages: ChatRequest['messages']): Message[] {
  return messages.map((m) => {
    const content =
      m.content === null
        ? ''
        : typeof m.content === 'string'
          ? m.content
          : m.content.map((p) => p.text).join('\n');
    return {
      role: m.role === 'developer' ? 'system' : m.role,
      content,
      ...(m.tool_calls ? { tool_calls: m.tool_calls } : {}),
      ...(m.tool_call_id !== undefined ? { tool_call_id: m.tool_call_id } : {}),
    };
  });
}
