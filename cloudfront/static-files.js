// CloudFront Function (cloudfront-js-2.0, viewer request, the default behaviour: the dashboard's files in S3).
// Lets through only the page and the content-hashed names scripts/build-web gives its assets; any other path
// gets a 404 problem JSON here, as from the local server (design.md: static files at their exact paths only).
// Without it a missing key would reach S3, which answers a private bucket's unknown key with 403 XML; and
// CloudFront's custom error responses cannot replace that without also replacing the summaries' own 403/404
// problem JSON, since they apply to the whole distribution. A viewer-response function cannot either: it does
// not run when the origin answers 400 or above (CloudFront Developer Guide, "CloudFront Functions event
// structure", "Status code and body").
//
// A name of the right shape whose hash was never uploaded still reaches S3; old hashed files stay in the
// bucket (scripts/deploy never deletes them) so pages cached before a deploy keep loading.
const ASSET = /^\/(dashboard\.[0-9a-f]{16}\.(js|css)|logs\.[0-9a-f]{16}\.js|favicon\.[0-9a-f]{16}\.svg|vendor\/uPlot\.(iife\.min\.[0-9a-f]{16}\.js|min\.[0-9a-f]{16}\.css))$/;

function handler(event) {
  const request = event.request;
  if (request.uri === '/' || request.uri === '/index.html' || ASSET.test(request.uri)) {
    return request;
  }
  return {
    statusCode: 404,
    statusDescription: 'Not Found',
    headers: {
      'content-type': { value: 'application/problem+json' },
      'cache-control': { value: 'no-store' },
    },
    body: {
      encoding: 'text',
      data: JSON.stringify({
        type: 'urn:quarry:problem:not-found',
        title: 'Not Found',
        status: 404,
        detail: 'There is nothing at this path; the summaries are under /summary/',
      }),
    },
  };
}
