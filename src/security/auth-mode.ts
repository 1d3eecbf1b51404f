/**
 * Whether requests need an API key. `auto` (the default) is off only while the server listens
 * on loopback — the embedded single-user setup — and on as soon as it listens anywhere else.
 */
export type AuthSetting = 'auto' | boolean;

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

export function authEnabled(cfg: { server: { host: string }; auth: { enabled: AuthSetting } }): boolean {
  const m = cfg.auth.enabled;
  return m === 'auto' ? !isLoopbackHost(cfg.server.host) : m;
}

/** Refuse to start an authenticated server nobody can use (or that is open by mistake). */
export function authStartupProblem(cfg: { server: { host: string }; auth: { enabled: AuthSetting } }, activeKeys: number): string | null {
  if (authEnabled(cfg) && activeKeys === 0) {
    const why = cfg.auth.enabled === true ? 'auth.enabled is true' : `the server listens on ${cfg.server.host} (beyond loopback)`;
    return `API keys are required because ${why}, but none exists. Create one with: heygem-gateway keys create --name admin --scopes admin`;
  }
  return null;
}
