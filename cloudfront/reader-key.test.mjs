// Runs cloudfront/reader-key.js as CloudFront would: its source as a script with the runtime's 'cloudfront'
// module and require('crypto') stood in for by objects that keep the documented contracts (exists() resolves
// a boolean, get() rejects a missing key; createHash offers md5, sha1 and sha256 only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import nodeCrypto from 'node:crypto';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('./reader-key.js', import.meta.url), 'utf8');
const IMPORT = "import cf from 'cloudfront';";

class StandInKeyValueStore {
  constructor() { this.entries = new Map(); }
  async get(key, options = {}) {
    if (!this.entries.has(key)) throw new Error(`Key ${key} not found`);
    const value = this.entries.get(key);
    return options.format === 'json' ? JSON.parse(value) : value;
  }
  async exists(key) { return this.entries.has(key); }
  async meta() { return { creationDateTime: '2026-12-01T00:00:00Z', keyCount: this.entries.size }; }
}

const standInCrypto = {
  createHash(algorithm) {
    if (!['md5', 'sha1', 'sha256'].includes(algorithm)) throw new Error(`unsupported hash ${algorithm}`);
    return nodeCrypto.createHash(algorithm);
  },
};

function load(store) {
  const lines = SOURCE.split('\n');
  assert.equal(lines.filter((line) => line === IMPORT).length, 1, 'the function imports cloudfront once');
  const context = vm.createContext({
    cf: { kvs: () => store },
    require: (name) => {
      if (name !== 'crypto') throw new Error(`no module ${name} in CloudFront Functions`);
      return standInCrypto;
    },
  });
  vm.runInContext(`${lines.map((line) => (line === IMPORT ? '' : line)).join('\n')}\n;globalThis.handler = handler;`, context);
  return context.handler;
}

const sha256 = (key) => nodeCrypto.createHash('sha256').update(key).digest('hex');

function event(authorization) {
  const headers = { host: { value: 'd111111abcdef8.cloudfront.net' } };
  if (authorization !== undefined) headers.authorization = { value: authorization };
  return { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri: '/summary/volume-by-day', querystring: {}, headers, cookies: {} } };
}

function assertUnauthorized(response, detail) {
  assert.equal(response.statusCode, 401);
  assert.equal(response.statusDescription, 'Unauthorized');
  assert.equal(response.headers['content-type'].value, 'application/problem+json');
  assert.equal(response.headers['cache-control'].value, 'no-store');
  assert.match(response.headers['www-authenticate'].value, /^Bearer /);
  assert.equal(response.body.encoding, 'text');
  const problem = JSON.parse(response.body.data);
  assert.deepEqual(Object.keys(problem), ['type', 'title', 'status', 'detail']);
  assert.equal(problem.type, 'urn:quarry:problem:unauthorized');
  assert.equal(problem.status, 401);
  assert.match(problem.detail, detail);
}

const KEY = 'qrk_3q2+7w8_Zt0-kK9xY1';

test('a valid key passes the request on, without the key', async () => {
  const store = new StandInKeyValueStore();
  store.entries.set(`reader:${sha256(KEY)}`, '{"created":"2026-12-01T00:00:00Z"}');
  const handler = load(store);
  for (const header of [`Bearer ${KEY}`, `bearer ${KEY}`, `Bearer  ${KEY} `]) {
    const request = await handler(event(header));
    assert.equal(request.uri, '/summary/volume-by-day', header);
    assert.equal(request.headers.authorization, undefined);
    assert.equal(request.headers.host.value, 'd111111abcdef8.cloudfront.net');
  }
});

test('a missing or malformed key is 401', async () => {
  const store = new StandInKeyValueStore();
  store.entries.set(`reader:${sha256(KEY)}`, '{}');
  const handler = load(store);
  for (const header of [undefined, '', 'Bearer', 'Bearer ', `Basic ${KEY}`, `${KEY}`, `Bearer ${KEY} extra`]) {
    assertUnauthorized(await handler(event(header)), /required|not valid/);
  }
  assertUnauthorized(await handler(event(undefined)), /required/);
});

test('a wrong key is 401, and the store is never asked for the key itself', async () => {
  const store = new StandInKeyValueStore();
  store.entries.set(`reader:${sha256(KEY)}`, '{}');
  store.entries.set(`reader:${KEY}`, '{}'); // a key stored in clear must not open the door
  const asked = [];
  const exists = store.exists.bind(store);
  store.exists = (key) => { asked.push(key); return exists(key); };
  const handler = load(store);
  assertUnauthorized(await handler(event(`Bearer ${KEY}x`)), /not valid/);
  assertUnauthorized(await handler(event(`Bearer ${sha256(KEY)}`)), /not valid/);
  assert.ok(asked.every((key) => /^reader:[0-9a-f]{64}$/.test(key)), asked.join());
});

test('a revoked key is 401', async () => {
  const store = new StandInKeyValueStore();
  const other = 'qrk_other';
  store.entries.set(`reader:${sha256(KEY)}`, '{}');
  store.entries.set(`reader:${sha256(other)}`, '{}');
  const handler = load(store);
  assert.equal((await handler(event(`Bearer ${KEY}`))).uri, '/summary/volume-by-day');
  store.entries.delete(`reader:${sha256(KEY)}`); // scripts/reader-key revoke
  assertUnauthorized(await handler(event(`Bearer ${KEY}`)), /not valid/);
  assert.equal((await handler(event(`Bearer ${other}`))).uri, '/summary/volume-by-day');
});

test('a store that fails lets nobody in', async () => {
  const store = new StandInKeyValueStore();
  store.exists = async () => { throw new Error('KeyValueStore unavailable'); };
  assertUnauthorized(await load(store)(event(`Bearer ${KEY}`)), /not valid/);
});
