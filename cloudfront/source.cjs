// The CloudFront Functions' source as text, for serverless.yml: `${file(x.js)}` would run a .js file as a
// Node module instead of reading it, so resources/serve.yml reads the code through this file
// (`${file(cloudfront/source.cjs):readerKey}`). The text goes into the template unchanged; ServerlessTemplateIT
// checks that each FunctionCode equals its file byte for byte, and the node tests run the same files.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const read = (name) => readFileSync(join(__dirname, name), 'utf8');

module.exports = {
  readerKey: read('reader-key.js'),
  staticFiles: read('static-files.js'),
};
