import { ProviderError } from './provider-error.js';

/** A dependency or setting the provider needs is not there. */
export class MissingRequirementsError extends ProviderError {
  static override readonly errorName: string = 'MissingRequirementsError';
}

/** The provider is flagged as not working and the caller asked for working ones only. */
export class ProviderNotWorkingError extends ProviderError {
  static override readonly errorName: string = 'ProviderNotWorkingError';
}

/** The caller passed something the provider cannot use (bad messages, bad option). */
export class InvalidArgumentError extends ProviderError {
  static override readonly errorName: string = 'InvalidArgumentError';
}
