/** The state database is held by another store: one downloader process per data folder. */

/**
 * Another `SqliteDeliveryStore` — in another process or in this one — has the state database
 * open. The store holds an exclusive lock on its file for as long as it is open, so two services
 * can never both drive (and, after a crash, both resume) the same deliveries. Stop the other
 * service or give this one its own data folder; to look at deliveries while it runs, read them
 * through its HTTP API. The operating system drops the lock when the owning process ends, however
 * it ends.
 */
export class StateDatabaseInUseError extends Error {
  /** Stable code, for callers that match on codes rather than classes. */
  readonly code = 'STATE_DB_IN_USE' as const;
  /** The database file that is held. */
  readonly path: string;

  constructor(path: string, options?: { cause?: unknown }) {
    super(
      `The state database ${path} is in use by another downloader process; stop that process or use another data folder (dataDir).`,
      options,
    );
    this.name = 'StateDatabaseInUseError';
    this.path = path;
  }
}
