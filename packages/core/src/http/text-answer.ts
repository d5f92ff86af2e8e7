import { EmptyAnswerError } from '../errors/unexpected-response-error.js';
import { decodeTextStream } from '../stream/text.js';
import type { HttpResponse } from './http-request.js';
import { raiseForStatus, rejectHtmlAnswer } from './raise-for-status.js';

/**
 * Reads an answer whose body is the text itself (Acytoo and Aura stream plain text): refuses an
 * error status and an HTML page first, then yields the text as it arrives, decoded across chunk
 * boundaries. A body with no text, or only white space, ends in `EmptyAnswerError` after what
 * was given: g4f ended such a call with nothing and no error, which a caller cannot tell from a
 * real (if short) answer.
 *
 * @param provider - the provider's name, for the error message.
 */
export async function* readTextAnswer(
  response: HttpResponse,
  provider: string,
): AsyncGenerator<string, void, undefined> {
  await raiseForStatus(response);
  await rejectHtmlAnswer(response);
  let blank = true;
  for await (const text of decodeTextStream(response.body)) {
    if (blank && text.trim() !== '') blank = false;
    yield text;
  }
  if (blank) {
    throw new EmptyAnswerError(
      `${provider} answered ${response.status} with no text (${response.url})`,
    );
  }
}
