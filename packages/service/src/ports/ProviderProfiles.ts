/** Port: the provider profiles the workflow needs to resolve and fetch files. */
import type { PayloadProfile, ResolvedRequestAuth } from '@downloader/callback-core';

/** What the workflow reads of a profile: the payload parts and the credentials per host. */
export interface WorkflowProfile extends PayloadProfile {
  /** Resolved `requestAuth` (see callback-core `requestHeadersFor`); absent: no credentials. */
  readonly requestAuth?: readonly ResolvedRequestAuth[];
}

/** Looks up a provider's profile (file-list location, list caps, URL policy, credentials) by provider id. */
export interface ProviderProfiles {
  get(providerId: string): WorkflowProfile | undefined;
}
