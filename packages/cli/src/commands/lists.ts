import { Client } from '@g4f/client';
import type { Context } from '../context.js';
import { EXIT_OK } from '../errors.js';
import { buildProviders } from '../providers.js';
import { colourEnabled, styles, table } from '../terminal.js';

/** Options of `g4f providers` and `g4f models`. */
export interface ListOptions {
  json?: boolean;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** `g4f providers`: every bundled provider's g4f metadata. */
export async function providersCommand(options: ListOptions, ctx: Context): Promise<number> {
  const set = await buildProviders({ ...ctx.settings, replicas: false });
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

/** `g4f models`: every model on offer and the providers that serve it. */
export async function modelsCommand(options: ListOptions, ctx: Context): Promise<number> {
  const set = await buildProviders({ ...ctx.settings, replicas: false });
  const client = new Client({ providers: set.providers });
  const imageModels = new Set(set.providers.flatMap((p) => p.imageModels));
  const models = client.models.list().data.map((m) => ({
    ...m,
    type: imageModels.has(m.id) ? ('image' as const) : ('chat' as const),
  }));
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
}
