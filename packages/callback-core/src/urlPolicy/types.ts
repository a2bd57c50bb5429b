/** Types of the URL policy (SSRF guard). */

/** A special-purpose address range a download must never connect to. */
export type AddressRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'metadata'
  | 'cgnat'
  | 'benchmarking'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'broadcast'
  | 'discard';

/** IPv6 forms that carry an IPv4 address. */
export type EmbeddingForm =
  | 'ipv4-mapped'
  | 'ipv4-translated'
  | 'ipv4-compatible'
  | 'nat64'
  | '6to4'
  | 'teredo';

/**
 * The one narrow exception to the address rules: a single loopback address and port, for a
 * provider running on the same machine (the local demo). Nothing wider can be allowed.
 */
export interface LoopbackException {
  readonly host: '127.0.0.1' | '::1';
  readonly port: number;
}

/** Which URLs a provider's file URLs may point at. Every field is optional. */
export interface UrlPolicy {
  /** Allow plain `http:` as well as `https:`. @default false */
  readonly allowHttp?: boolean;
  /**
   * Host patterns: `files.example.com` (exactly that host) or `*.example.com` (any subdomain,
   * not the apex). IP literals match exactly. Empty or absent: any public host.
   */
  readonly allowedHosts?: readonly string[];
  /** Allowed ports. @default [443] for https, [80] for http */
  readonly allowedPorts?: readonly number[];
  /** See {@link LoopbackException}. @default none */
  readonly loopbackException?: LoopbackException;
}

/** Why a URL or address was refused. */
export type UrlRejectionReason =
  | 'invalid_url'
  | 'scheme'
  | 'userinfo'
  | 'host_not_allowed'
  | 'port_not_allowed'
  | 'private_address'
  | 'invalid_address';

/** Outcome of a URL or address check. */
export type UrlCheckResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: UrlRejectionReason;
      /** For `private_address`: which range the address (or host name) falls in. */
      readonly range?: AddressRange;
      /** For `private_address` via an IPv6 form that embeds IPv4: the embedded address. */
      readonly embeddedIpv4?: string;
      readonly message: string;
    };

/** Rejected variant of {@link UrlCheckResult}. */
export type UrlRejection = Extract<UrlCheckResult, { ok: false }>;

/**
 * One connection attempt, structurally identical to fetch-stream's `ConnectTarget` (declared
 * here so this package does not depend on fetch-stream).
 */
export interface ConnectTarget {
  readonly url: URL;
  readonly hostname: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  readonly redirectHop: number;
}

/** Structurally identical to fetch-stream's `ConnectGuard`: throw to refuse the connection. */
export type ConnectGuard = (target: ConnectTarget) => void | Promise<void>;
