import { Client } from '@g4f/client';
import type { Context } from '../context.js';
import { EXIT_OK, errorLine } from '../errors.js';
import { buildProviders, remoteModels } from '../providers.js';
import { colourEnabled, styles, table } from '../terminal.js';

/** Options of `g4f providers` and `g4f models`. */
export interface ListOptions {
  json?: boolean;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** `g4f providers`: every bundled provider's g4f metadata, and the configured servers'. */
export async function providersCommand(options: ListOptions, ctx: Context): Promise<number> {
  // With --replicas the replicas start too, so the list shows where each provider points.
  const set = await buildProviders(ctx.settings);
  await set.close();
  const rows = set.providers.map((p) => ({
    name: p.name,
    label: p.label,
    url: p.url,
    working: p.working,
    needsAuth: p.needsAuth,
    supportsStream: p.supportsStream,
    defaultModel: p.defaultModel,
    models: [...new Set([p.defaultModel, ...p.models].filter(Boolean))],
    imageModels: [...p.imageModels],
  }));
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT_OK;
  }
  const style = styles(colourEnabled(ctx.stdout, ctx.env));
  ctx.stdout.write(
    table(
      ['provider', 'label', 'working', 'needs auth', 'models', 'url'],
      rows.map((r) => [
        r.name,
        r.label,
        yesNo(r.working),
        yesNo(r.needsAuth),
        r.models.join(', '),
        r.url,
      ]),
      style,
    ),
  );
  return EXIT_OK;
}

/**
 * `g4f models`: every model on offer and the providers that serve it; for the user's own
 * servers (OpenaiTemplate, Ollama) the models they list themselves, asked in parallel. A
 * server that does not answer its listing is named on stderr, with its default model kept.
 */
export async function modelsCommand(options: ListOptions, ctx: Context): Promise<number> {
  const set = await buildProviders(ctx.settings);
  try {
    const client = new Client({ providers: set.providers });
    const imageModels = new Set(set.providers.flatMap((p) => p.imageModels));
    const models = client.models.list().data.map((m) => ({
      ...m,
      type: imageModels.has(m.id) ? ('image' as const) : ('chat' as const),
    }));
    const listings = await Promise.all(
      set.providers.map((p) =>
        remoteModels(p, ctx.settings.timeout).then(
          (listed) => ({ provider: p, listed }),
          (error: unknown) => ({ provider: p, error }),
        ),
      ),
    );
    const warn = styles(colourEnabled(ctx.stderr, ctx.env));
    for (const entry of listings) {
      if ('error' in entry) {
        ctx.stderr.write(
          `${warn.yellow(`g4f models: ${entry.provider.name} did not list its models: ${errorLine(entry.error).replace(/^g4f: /, '')}`)}\n`,
        );
        continue;
      }
      for (const remote of entry.listed ?? []) {
        const known = models.find((m) => m.id === remote.id);
        if (known) {
          if (!known.providers.includes(entry.provider.name)) {
            known.providers.push(entry.provider.name);
          }
          continue;
        }
        models.push({
          id: remote.id,
          object: 'model',
          created: models[0]?.created ?? 0,
          owned_by: entry.provider.name,
          providers: [entry.provider.name],
          type: remote.image ? 'image' : 'chat',
        });
      }
    }
    if (options.json) {
      ctx.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
      return EXIT_OK;
    }
    const style = styles(colourEnabled(ctx.stdout, ctx.env));
    ctx.stdout.write(
      table(
        ['model', 'type', 'providers'],
        models.map((m) => [m.id, m.type, m.providers.join(', ')]),
        style,
      ),
    );
    return EXIT_OK;
  } finally {
    await set.close();
  }
}
