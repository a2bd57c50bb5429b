/** Prepared statements of one connection, by SQL text. */
import type Database from 'better-sqlite3';

/** Preparing costs more than running a point query: each SQL text is prepared once per store. */
export class StatementCache {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** The prepared statement for `sql` (the SQL variants are few and fixed). */
  get(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
