// CloudFront Function (cloudfront-js-2.0, viewer request, /summary/* and /search): lets a request through only with
// "Authorization: Bearer <key>" whose SHA-256 (hex) is a key "reader:<hash>" in the associated KeyValueStore,
// so a refused reader costs neither a cache lookup nor an origin (Athena) call. The store holds hashes only:
// reading it does not reveal a key. scripts/reader-key writes and deletes the entries.
//
// Runtime 2.0 facts this rests on (CloudFront Developer Guide): "import cf from 'cloudfront'; cf.kvs()"
// with exists(key) -> Promise<boolean> and get() rejecting for a missing key ("Helper methods for key value
// stores"); require('crypto') with createHash('sha256').update(s).digest('hex') ("JavaScript runtime 2.0
// features"); a function-generated response may carry a body { encoding: 'text', data }.
import cf from 'cloudfront';

const crypto = require('crypto');
const kvs = cf.kvs();

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

async function handler(event) {
  const request = event.request;
  const header = request.headers.authorization;
  const match = header ? BEARER.exec(header.value) : null;
  if (match) {
    const hash = crypto.createHash('sha256').update(match[1]).digest('hex');
    let known = false;
    try {
      known = await kvs.exists('reader:' + hash);
    } catch (e) {
      known = false; // a store that cannot be read lets nobody in
    }
    if (known) {
      // The origin needs no key, and the cache policy leaves it out of the cache key: every reader with a
      // valid key shares one cached answer.
      delete request.headers.authorization;
      return request;
    }
  }
  return {
    statusCode: 401,
    statusDescription: 'Unauthorized',
    headers: {
      'content-type': { value: 'application/problem+json' },
      'cache-control': { value: 'no-store' },
      'www-authenticate': { value: 'Bearer realm="quarry-summaries"' },
    },
    body: {
      encoding: 'text',
      data: JSON.stringify({
        type: 'urn:quarry:problem:unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: match ? 'This reader key is not valid (unknown or revoked)'
          : 'A reader key is required: send it as Authorization: Bearer <key>',
      }),
    },
  };
}
