import { describe, expect, it } from 'vitest';
import { forbiddenRange, TargetPolicy, TargetRefused } from './ssrf.js';

describe('forbiddenRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'unique local (ULA)'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:10.0.0.1', 'IPv4-mapped'],
  ])('%s is %s', (ip, why) => {
    expect(forbiddenRange(ip)).toBe(why);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111'])('%s is public', (ip) => {
    expect(forbiddenRange(ip)).toBeNull();
  });
});

describe('TargetPolicy', () => {
  const names: Record<string, string[]> = { 'public.test': ['93.184.216.34'], 'inside.test': ['10.0.0.7'], 'mixed.test': ['93.184.216.34', '127.0.0.1'] };
  const resolver = async (h: string) => {
    if (!names[h]) throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    return names[h].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  it('refuses bad URLs and private targets, after resolving names', async () => {
    const p = new TargetPolicy([], resolver);
    for (const bad of ['ftp://x.test/', 'not a url', 'http://user:pw@public.test/', 42]) await expect(p.check(bad)).rejects.toMatchObject({ code: 'webhook_url_invalid' });
    for (const refused of ['http://127.0.0.1:9/', 'http://[::1]/', 'http://[fd12::1]/', 'http://169.254.169.254/latest', 'http://inside.test/', 'http://mixed.test/', 'http://unknown.test/']) {
      await expect(p.check(refused), refused).rejects.toBeInstanceOf(TargetRefused);
    }
    expect(await p.check('https://public.test/hook')).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('allows what is listed in allowedHosts: names, addresses, ranges', async () => {
    const p = new TargetPolicy(['inside.test', '127.0.0.1', '192.168.0.0/16', '[::1]'], resolver);
    expect((await p.check('http://inside.test/')).address).toBe('10.0.0.7');
    expect((await p.check('http://127.0.0.1:8080/')).address).toBe('127.0.0.1');
    expect((await p.check('http://192.168.7.7/')).address).toBe('192.168.7.7');
    expect((await p.check('http://[::1]:81/')).address).toBe('::1');
    await expect(p.check('http://10.9.9.9/')).rejects.toBeInstanceOf(TargetRefused);
  });
});
