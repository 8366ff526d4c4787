package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class RequestTimeoutsTest {

    private final RequestTimeouts timeouts = new RequestTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    private AwsRequest modified(SdkRequest request) {
        return (AwsRequest) timeouts.modifyRequest(() -> request, new ExecutionAttributes());
    }

    @Test
    void aReceiveGetsItsWaitOnTopOfBothLimits() {
        AwsRequest receive = modified(ReceiveMessageRequest.builder().queueUrl("q").waitTimeSeconds(20).build());

        assertThat(receive.overrideConfiguration().orElseThrow().apiCallAttemptTimeout()).hasValue(Duration.ofSeconds(22));
        assertThat(receive.overrideConfiguration().orElseThrow().apiCallTimeout()).hasValue(Duration.ofSeconds(25));
    }

    @Test
    void aReceiveWithoutAWaitTimeMayWaitTheLongestAQueueAllows() {
        AwsRequest receive = modified(ReceiveMessageRequest.builder().queueUrl("q").build());

        assertThat(receive.overrideConfiguration().orElseThrow().apiCallTimeout()).hasValue(Duration.ofSeconds(25));
    }

    @Test
    void anUploadGetsTheUploadLimit() {
        AwsRequest put = modified(PutObjectRequest.builder().bucket("b").key("k").build());

        assertThat(put.overrideConfiguration().orElseThrow().apiCallAttemptTimeout()).hasValue(Duration.ofSeconds(30));
        assertThat(put.overrideConfiguration().orElseThrow().apiCallTimeout()).hasValue(Duration.ofSeconds(30));
    }

    @Test
    void otherRequestsAndRequestsWithLimitsOfTheirOwnAreLeftAlone() {
        SendMessageRequest send = SendMessageRequest.builder().queueUrl("q").messageBody("m").build();
        HeadObjectRequest head = HeadObjectRequest.builder().bucket("b").key("k").build();
        ReceiveMessageRequest quick = ReceiveMessageRequest.builder().queueUrl("q").waitTimeSeconds(20)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))).build();

        assertThat(modified(send)).isSameAs(send);
        assertThat(modified(head)).isSameAs(head);
        assertThat(modified(quick)).isSameAs(quick);
    }
}
