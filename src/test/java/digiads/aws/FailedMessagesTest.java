package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class FailedMessagesTest {

    @Test
    void theReceiveCountIsReadWhetherTheAttributesAreKeyedByEnumOrByName() {
        assertThat(FailedMessages.receiveCount(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "3"))).isEqualTo(3);
        assertThat(FailedMessages.receiveCount(Map.of("ApproximateReceiveCount", "4"))).isEqualTo(4);
    }

    @Test
    void anAbsentOrUnreadableCountIsZero() {
        assertThat(FailedMessages.receiveCount(null)).isZero();
        assertThat(FailedMessages.receiveCount(Map.of(MessageSystemAttributeName.SENT_TIMESTAMP, "17"))).isZero();
        assertThat(FailedMessages.receiveCount(Map.of("ApproximateReceiveCount", "many"))).isZero();
    }
}
