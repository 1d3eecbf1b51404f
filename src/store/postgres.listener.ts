/**
 * One dedicated LISTEN connection per store (a pooled connection cannot hold a LISTEN: it is
 * handed to other queries). When the connection is lost — server restart, failover,
 * pg_terminate_backend — it logs and reconnects with exponential backoff; it never throws into
 * the process. Notifications sent while it was down are lost (NOTIFY is not queued for absent
 * listeners), which is why callers treat them as hints and still poll (docs/postgres.md).
 */
import pg from 'pg';
import type { Logger } from '../logger.js';
import { pgClientConfig } from './postgres.pool.js';

export interface PgListenerOptions {
  url: string;
  channel: string;
  applicationName: string;
  log?: Logger;
  onNotify: (payload: string) => void;
  /** Called after a reconnect (not the first connect): whatever happened meanwhile was missed. */
  onReconnect?: () => void;
  /** Backoff bounds (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export class PgListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private reconnects = 0;

  constructor(private readonly o: PgListenerOptions) {
    // LISTEN takes an identifier, not a parameter: only a plain lower-case name is accepted.
    if (!CHANNEL.test(o.channel)) throw new Error(`invalid notification channel name "${o.channel}"`);
  }

  /** First connection: fails loudly (a wrong URL should stop start-up, not retry forever). */
  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** How many times the connection was re-established after a loss. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  private async connect(): Promise<void> {
    const c = new pg.Client(pgClientConfig(this.o.url, this.o.applicationName));
    // Attached before connect(): an error event without a listener would crash the process.
    c.on('error', (err) => this.lost(c, err));
    c.on('end', () => this.lost(c));
    c.on('notification', (m) => {
      if (m.channel === this.o.channel && m.payload !== undefined) this.o.onNotify(m.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${this.o.channel}`);
    } catch (err) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
  }

  private lost(c: pg.Client, err?: Error): void {
    if (this.client !== c) return; // a late event from a connection already replaced
    this.client = undefined;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    if (this.stopped) return;
    this.o.log?.warn({ err: err?.message, channel: this.o.channel }, 'postgres: LISTEN connection lost, reconnecting');
    this.schedule();
  }

  private schedule(): void {
    const min = this.o.minDelayMs ?? 100;
    const delay = Math.min(this.o.maxDelayMs ?? 10_000, min * 2 ** Math.min(this.failures, 16));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.failures = 0;
          this.reconnects++;
          this.o.log?.info({ channel: this.o.channel }, 'postgres: LISTEN connection re-established');
          try {
            this.o.onReconnect?.();
          } catch (err) {
            this.o.log?.error({ err: (err as Error).message }, 'postgres: reconnect listener failed');
          }
        },
        (err: Error) => {
          this.failures++;
          this.o.log?.warn({ err: err.message, attempt: this.failures }, 'postgres: LISTEN reconnect failed');
          this.schedule();
        },
      );
    }, delay);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => undefined);
  }
}
