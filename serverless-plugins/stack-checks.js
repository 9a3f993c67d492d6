'use strict';

// Refuses, before anything reaches AWS, a stack that CloudFormation would accept and then fail on part-way:
// - a web ACL created by the stack (waf: 'true', no webAclArn) outside us-east-1: CloudFront web ACLs (scope
//   CLOUDFRONT) can be created in us-east-1 only (AWS WAF Developer Guide, "Using AWS WAF with Amazon CloudFront");
// - apiLogging other than OFF, ERROR or INFO (the values of the stage's LoggingLevel);
// - a CloudFront name over its 64 characters (the stage and the region are in each; CloudFront names are
//   unique per account, not per region).
// Each refusal is one line saying what to do.

const LOGGING_LEVELS = ['OFF', 'ERROR', 'INFO'];
// Resource type → where its name is, for the account-global CloudFront names.
const CLOUDFRONT_NAMES = {
  'AWS::CloudFront::OriginAccessControl': ['OriginAccessControlConfig', 'Name'],
  'AWS::CloudFront::CachePolicy': ['CachePolicyConfig', 'Name'],
  'AWS::CloudFront::OriginRequestPolicy': ['OriginRequestPolicyConfig', 'Name'],
  'AWS::CloudFront::ResponseHeadersPolicy': ['ResponseHeadersPolicyConfig', 'Name'],
  'AWS::CloudFront::Function': ['Name'],
  'AWS::CloudFront::KeyValueStore': ['Name'],
};
const NAME_LIMIT = 64; // characters; the shortest limit among these types (functions, key value stores, OACs)

class StackChecks {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.checkParams(),
      'before:aws:package:finalize:saveServiceState': () => this.checkNames(),
    };
  }

  refuse(message) {
    throw new this.serverless.classes.Error(message);
  }

  checkParams() {
    const checks = this.serverless.service.custom.checks;
    const { stage, region, waf, webAclArn, apiLogging } = checks;
    if (String(waf) === 'true' && !webAclArn && region !== 'us-east-1') {
      this.refuse(`Stage ${stage} creates a CloudFront web ACL (waf: 'true'), which AWS creates in us-east-1 only, `
        + `but the region is ${region}: deploy with --region us-east-1, attach an existing web ACL with `
        + `--param=webAclArn=<arn of a CloudFront-scope web ACL>, or turn it off with --param=waf=false.`);
    }
    if (webAclArn && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(webAclArn)) {
      this.refuse(`webAclArn ${webAclArn} is not the ARN of a CloudFront-scope web ACL `
        + `(arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>).`);
    }
    if (!LOGGING_LEVELS.includes(String(apiLogging))) {
      this.refuse(`apiLogging is ${apiLogging}; it must be one of ${LOGGING_LEVELS.join(', ')}.`);
    }
  }

  checkNames() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const [id, resource] of Object.entries(resources)) {
      const path = CLOUDFRONT_NAMES[resource.Type];
      if (!path) continue;
      const name = path.reduce((node, key) => (node || {})[key], resource.Properties);
      if (typeof name === 'string' && name.length > NAME_LIMIT) {
        this.refuse(`The CloudFront name ${name} of ${id} is ${name.length} characters, over ${NAME_LIMIT}: `
          + `use a shorter stage name.`);
      }
    }
  }
}

module.exports = StackChecks;
