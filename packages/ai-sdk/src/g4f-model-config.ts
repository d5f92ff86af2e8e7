import type { Client } from '@g4f/client';
import type { Provider } from '@g4f/core';
import type { G4FCallSetting } from './call-settings.js';

/** What the models of one `createG4F` provider share. */
export interface G4FModelConfig {
  /** The client every call goes through. */
  client: Client;
  /** Which providers a chat call may reach: a provider named in the call options, else routing. */
  chatCandidates(modelId: string, named: string | undefined): Provider[];
  /** Which providers an image call may reach. */
  imageCandidates(modelId: string, named: string | undefined): Provider[];
  /** The upstream URL named in errors that carry none. */
  url(named: string | undefined): string;
  /** Which providers send which settings upstream, by g4f name. */
  settingsSent: Readonly<Record<string, readonly G4FCallSetting[]>>;
}
