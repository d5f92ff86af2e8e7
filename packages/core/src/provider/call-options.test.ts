import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  cookieHeader,
  formatCookies,
  joinUrl,
  parseSetCookie,
  transportOptions,
} from './call-options.js';

describe('transportOptions', () => {
  it("prefers the call's proxy, timeout and signal over the settings", () => {
    const signal = new AbortController().signal;
    const dispatcher = new Agent();
    expect(
      transportOptions(
        { proxy: 'http://a', timeout: 1, dispatcher },
        { proxy: 'http://b', timeout: 2, signal },
      ),
    ).toEqual({ proxy: 'http://b', timeout: 2, signal, dispatcher });
    expect(transportOptions({ proxy: 'http://a', timeout: 1 }, {})).toEqual({
      proxy: 'http://a',
      timeout: 1,
      signal: undefined,
      dispatcher: undefined,
    });
  });
});

describe('joinUrl and formatCookies', () => {
  it('join without doubled slashes', () => {
    expect(joinUrl('http://127.0.0.1:5/', '/api/chat')).toBe('http://127.0.0.1:5/api/chat');
    expect(joinUrl('https://openchat.team', '/api/chat')).toBe('https://openchat.team/api/chat');
    expect(joinUrl('http://127.0.0.1:5//', '/api')).toBe('http://127.0.0.1:5/api');
  });

  it('format cookies as g4f does', () => {
    expect(formatCookies({ a: '1', cf_clearance: 'x y' })).toBe('a=1; cf_clearance=x y');
    expect(formatCookies({})).toBe('');
  });
});

describe('cookieHeader and parseSetCookie', () => {
  it('merge cookie sets, later sets winning, into one header or none', () => {
    expect(cookieHeader({ a: '1', b: '2' }, undefined, { b: '3' })).toEqual({ cookie: 'a=1; b=3' });
    expect(cookieHeader(undefined, {})).toEqual({});
  });

  it('keep the name and value of each Set-Cookie line, attributes dropped', () => {
    expect(
      parseSetCookie([
        'wp_session=abc; Path=/; HttpOnly',
        'cf_clearance = x=y ; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
        'broken',
        '=no-name; Path=/',
        'wp_session=new',
      ]),
    ).toEqual({ wp_session: 'new', cf_clearance: 'x=y' });
  });
});
