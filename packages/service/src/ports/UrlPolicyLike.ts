/** The URL policy as the service passes it around: structurally callback-core's `UrlPolicy`. */

/** See callback-core `UrlPolicy`. */
export interface UrlPolicyLike {
  readonly allowHttp?: boolean;
  readonly allowedHosts?: readonly string[];
  readonly allowedPorts?: readonly number[];
  readonly loopbackException?: { readonly host: '127.0.0.1' | '::1'; readonly port: number };
}
