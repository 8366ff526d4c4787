package digiads.aws;

import java.time.Duration;

import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Time limits of the requests one client-wide limit does not fit, set on the request before it is
 * sent (Camel's endpoints build these requests themselves): an SQS receive long-polls for up to its
 * wait time, so it gets the wait on top of the attempt and call limits; an S3 upload takes as long
 * as its bytes take, so it gets the upload limit. A request that sets limits of its own keeps them.
 */
final class RequestTimeouts implements ExecutionInterceptor {

    /** A receive without a wait time waits as long as its queue says, at most 20 s. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private final Duration attempt;
    private final Duration call;
    private final Duration upload;

    RequestTimeouts(Duration attempt, Duration call, Duration upload) {
        this.attempt = attempt;
        this.call = call;
        this.upload = upload;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes executionAttributes) {
        SdkRequest request = context.request();
        if (request instanceof ReceiveMessageRequest receive && !limited(receive)) {
            Duration wait = receive.waitTimeSeconds() == null ? MAX_WAIT : Duration.ofSeconds(receive.waitTimeSeconds());
            return receive.toBuilder().overrideConfiguration(limits(receive, attempt.plus(wait), call.plus(wait))).build();
        }
        if (request instanceof PutObjectRequest put && !limited(put)) {
            return put.toBuilder().overrideConfiguration(limits(put, upload, upload)).build();
        }
        return request;
    }

    private static boolean limited(AwsRequest request) {
        return request.overrideConfiguration()
                .map(o -> o.apiCallTimeout().isPresent() || o.apiCallAttemptTimeout().isPresent())
                .orElse(false);
    }

    private static AwsRequestOverrideConfiguration limits(AwsRequest request, Duration attempt, Duration call) {
        return request.overrideConfiguration().map(AwsRequestOverrideConfiguration::toBuilder)
                .orElseGet(AwsRequestOverrideConfiguration::builder)
                .apiCallAttemptTimeout(attempt)
                .apiCallTimeout(call)
                .build();
    }
}
