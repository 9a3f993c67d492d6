// Runs cloudfront/static-files.js as CloudFront would: its source as a script (runtime 2.0, no modules needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('./static-files.js', import.meta.url), 'utf8');

function load() {
  const context = vm.createContext({});
  vm.runInContext(`${SOURCE}\n;globalThis.handler = handler;`, context);
  return context.handler;
}

function event(uri) {
  return { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri, querystring: {}, headers: {}, cookies: {} } };
}

const HASH = '0123456789abcdef';

test('the page and the hashed assets pass unchanged', () => {
  const handler = load();
  for (const uri of ['/', '/index.html', `/dashboard.${HASH}.js`, `/logs.${HASH}.js`, `/dashboard.${HASH}.css`, `/favicon.${HASH}.svg`,
    `/vendor/uPlot.iife.min.${HASH}.js`, `/vendor/uPlot.min.${HASH}.css`]) {
    const request = handler(event(uri));
    assert.equal(request.uri, uri);
    assert.equal(request.method, 'GET');
  }
});

test('every other path is a 404 problem JSON, before the cache and S3', () => {
  const handler = load();
  for (const uri of ['/dashboard.js', '/logs.js', `/logs.${HASH}.css`, '/favicon.svg', '/vendor/uPlot.iife.min.js', '/index.htm', '/index.html/',
    `/dashboard.${HASH.toUpperCase()}.js`, `/dashboard.${HASH}0.js`, `/x/dashboard.${HASH}.js`, `/dashboard.${HASH}.svg`,
    '/summary', '/vendor/', '/.env', '//index.html', '/%2e%2e/etc/passwd', `/dashboard.${HASH}.js/x`]) {
    const response = handler(event(uri));
    assert.equal(response.statusCode, 404, uri);
    assert.equal(response.headers['content-type'].value, 'application/problem+json');
    assert.equal(response.headers['cache-control'].value, 'no-store');
    assert.equal(response.body.encoding, 'text');
    const problem = JSON.parse(response.body.data);
    assert.deepEqual(Object.keys(problem), ['type', 'title', 'status', 'detail']);
    assert.equal(problem.type, 'urn:quarry:problem:not-found');
    assert.equal(problem.status, 404);
  }
});
