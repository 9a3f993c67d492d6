package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For the native image: the event classes the functions deserialize. (The Quarkus extension reads
 * {@link S3Event} through constructors; function-URL events and responses go through Jackson, but a handler or log line that reaches them by reflection must not fail
 * only in the native build.)
 */
@RegisterForReflection(targets = {
        APIGatewayV2HTTPEvent.class,
        APIGatewayV2HTTPEvent.RequestContext.class,
        APIGatewayV2HTTPEvent.RequestContext.Http.class,
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.class,
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.class,
        APIGatewayV2HTTPEvent.RequestContext.IAM.class,
        APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity.class,
        APIGatewayV2HTTPResponse.class,
        S3Event.class,
        S3EventNotification.class,
        S3EventNotification.S3EventNotificationRecord.class,
        S3EventNotification.S3Entity.class,
        S3EventNotification.S3BucketEntity.class,
        S3EventNotification.S3ObjectEntity.class,
        S3EventNotification.UserIdentityEntity.class,
        S3EventNotification.RequestParametersEntity.class,
        S3EventNotification.ResponseElementsEntity.class
})
final class LambdaReflection {
    private LambdaReflection() {
    }
}
