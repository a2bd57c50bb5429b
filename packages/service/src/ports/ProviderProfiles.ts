/** Port: the provider profiles the workflow needs to resolve and fetch files. */
import type { PayloadProfile } from '@downloader/callback-core';

/** Looks up a provider's profile (file-list location, list caps, URL policy) by provider id. */
export interface ProviderProfiles {
  get(providerId: string): PayloadProfile | undefined;
}
