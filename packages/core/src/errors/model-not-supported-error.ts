import { ProviderError } from './provider-error.js';

/** The requested model is neither a model nor an alias of the provider. */
export class ModelNotSupportedError extends ProviderError {
  static override readonly errorName: string = 'ModelNotSupportedError';
  /** The name that was asked for. */
  readonly model: string;
  /** The provider's label. */
  readonly provider: string;
  /** Every model (and alias) the provider knows. */
  readonly knownModels: readonly string[];

  constructor(model: string, provider: string, knownModels: readonly string[]) {
    super(
      `Model is not supported: ${model} in: ${provider} Valid models: ${JSON.stringify(knownModels)}`,
    );
    this.model = model;
    this.provider = provider;
    this.knownModels = knownModels;
  }
}
