'use strict';

// CloudFormation creates an API Gateway deployment only when the AWS::ApiGateway::Deployment resource is
// replaced, and changing its properties does not replace it: a changed method, model or gateway response
// would reach CloudFormation but never the stage. This plugin gives the deployment a logical id that ends
// in a hash of the REST API's resources, so any change to them makes a new deployment, and an unchanged API
// keeps its deployment. (Resource keys cannot hold Serverless variables, hence a plugin.)
const crypto = require('crypto');

const API = 'IngestApi';
const DEPLOYMENT = 'IngestDeployment';
// What a deployment snapshots; stages, usage plans and keys change without one.
const DEPLOYED_TYPES = [
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::GatewayResponse',
];

class ApiGatewayRedeploy {
  constructor(serverless) {
    this.serverless = serverless;
    // After the custom resources are merged into the template, before it is saved.
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.renameDeployment() };
  }

  renameDeployment() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const resources = template.Resources;
    if (!resources[DEPLOYMENT]) return;
    const refersToApi = (resource) => JSON.stringify(resource).includes(`{"Ref":"${API}"}`);
    const apiParts = Object.keys(resources)
      .filter((id) => id === API || (DEPLOYED_TYPES.includes(resources[id].Type) && refersToApi(resources[id])))
      .sort()
      .map((id) => [id, resources[id]]);
    const hash = crypto.createHash('sha256').update(JSON.stringify(apiParts)).digest('hex').slice(0, 12);
    const id = `${DEPLOYMENT}${hash}`;
    // The deployment snapshots the API as it is when CloudFormation creates it: it must wait for every part,
    // or a gateway response or model created in parallel is missing from the stage until the next deploy.
    const dependsOn = [].concat(resources[DEPLOYMENT].DependsOn || []);
    for (const [part] of apiParts) if (part !== API && !dependsOn.includes(part)) dependsOn.push(part);
    resources[DEPLOYMENT].DependsOn = dependsOn.sort();
    resources[id] = resources[DEPLOYMENT];
    delete resources[DEPLOYMENT];
    const text = JSON.stringify(template).split(`{"Ref":"${DEPLOYMENT}"}`).join(`{"Ref":"${id}"}`);
    Object.assign(template, JSON.parse(text));
  }
}

module.exports = ApiGatewayRedeploy;
