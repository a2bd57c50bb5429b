/** The HTTP API: registration and status routes behind IAM, the callback route public. */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';

/** Inputs of {@link DeliveryApi}. */
export interface DeliveryApiProps {
  readonly handler: lambda.IFunction;
  readonly logRetention: logs.RetentionDays;
  readonly rateLimit: number;
}

/** Routes answered by the API Lambda and who may call them. */
export const API_ROUTES = {
  /** Signed by AWS SigV4: teams registering deliveries and reading their status. */
  iam: [
    { method: apigwv2.HttpMethod.POST, path: '/deliveries' },
    { method: apigwv2.HttpMethod.GET, path: '/deliveries' },
    { method: apigwv2.HttpMethod.GET, path: '/deliveries/{id}' },
    { method: apigwv2.HttpMethod.GET, path: '/deliveries/{id}/files' },
    { method: apigwv2.HttpMethod.GET, path: '/healthz' },
  ],
  /** Open to the provider: the Lambda verifies the provider's signature over the raw body. */
  public: [{ method: apigwv2.HttpMethod.POST, path: '/callbacks/{id}' }],
} as const;

/** API Gateway v2 HTTP API in front of the API Lambda, with access logs and throttling. */
export class DeliveryApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DeliveryApiProps) {
    super(scope, id);
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'downloader: delivery registration (IAM) and provider callbacks (signature-verified)',
      createDefaultStage: false,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.rateLimit * 2 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', props.handler, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    const iamAuthorizer = new HttpIamAuthorizer();
    for (const route of API_ROUTES.iam) {
      this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
        authorizer: iamAuthorizer,
      });
    }
    for (const route of API_ROUTES.public) {
      for (const added of this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
      })) {
        acknowledge(
          added,
          'APIG4',
          'Providers cannot sign AWS requests. The handler verifies the provider signature over the raw, ' +
            'size-capped body before anything changes, and the URL holds an unguessable 128-bit delivery id.',
        );
      }
    }
  }

  /** `https://<api-id>.execute-api.<region>.amazonaws.com` (no trailing slash). */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
