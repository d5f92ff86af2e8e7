import { writeFile } from 'node:fs/promises';
import { Client, NoMediaResponseError } from '@g4f/client';
import { type Context, withInterrupt } from '../context.js';
import { EXIT_INTERRUPTED, EXIT_OK } from '../errors.js';
import { buildProviders, canonicalName } from '../providers.js';
import { createSpinner } from '../terminal.js';

/** Options of `g4f image`. */
export interface ImageOptions {
  provider?: string;
  model?: string;
  out?: string;
}

/** `g4f image <prompt...>`: prints the image URL, or downloads it to `--out`. */
export async function imageCommand(
  words: readonly string[],
  options: ImageOptions,
  ctx: Context,
): Promise<number> {
  const provider = options.provider === undefined ? undefined : canonicalName(options.provider);
  const set = await buildProviders(ctx.settings);
  try {
    const client = new Client({
      providers: set.providers,
      proxy: ctx.settings.proxy,
      timeout: ctx.settings.timeout,
    });
    const spinner = createSpinner(ctx.stderr);
    const { interrupted } = await withInterrupt(async (signal) => {
      spinner.start('waiting for the image');
      try {
        const result = await client.images.generate({
          prompt: words.join(' '),
          model: options.model,
          provider,
          // The client downloads (size-capped, image/* only) and hands the bytes back.
          response_format: options.out ? 'b64_json' : 'url',
          signal,
        });
        spinner.stop();
        const image = result.data[0];
        if (options.out) {
          if (!image?.b64_json) throw new NoMediaResponseError(`${result.provider} sent no image`);
          const bytes = Buffer.from(image.b64_json, 'base64');
          await writeFile(options.out, bytes);
          ctx.stderr.write(`wrote ${bytes.length} bytes from ${result.provider}\n`);
          ctx.stdout.write(`${options.out}\n`);
        } else {
          if (!image?.url) throw new NoMediaResponseError(`${result.provider} sent no image URL`);
          for (const { url } of result.data) ctx.stdout.write(`${url}\n`);
        }
      } finally {
        spinner.stop();
      }
    });
    return interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } finally {
    await set.close();
  }
}
