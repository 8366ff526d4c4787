package digiads.events;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * S3 events the way AWS delivers them, for the tests: the documented samples (S3 User Guide: "Event
 * message structure" and "EventBridge event message structure"; SNS Developer Guide: "Amazon SNS
 * message and JSON formats") with our bucket, and builders for variants of them.
 */
public final class S3EventSamples {

    public static final String BUCKET = "digiads-images";
    public static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:digiads-image-events";
    public static final Instant TIME = Instant.parse("2026-11-26T00:00:00Z");

    private static final ObjectMapper JSON = new ObjectMapper();

    private S3EventSamples() {
    }

    /**
     * An S3 event notification of one record as S3 sends it (to SQS, or as SNS's Message).
     *
     * @param encodedKey   the key URL-encoded as S3 encodes it
     * @param objectFields the object's fields after its key, e.g. {@code "size":1024,"sequencer":"0055AED6DCD90281E5"}
     */
    public static String s3Event(String eventVersion, String eventName, Instant eventTime, String principal,
                                 String encodedKey, String objectFields) {
        return """
                {"Records":[{"eventVersion":"%s","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventTime":"%s","eventName":"%s",
                  "userIdentity":{"principalId":"%s"},
                  "requestParameters":{"sourceIPAddress":"203.0.113.5"},
                  "responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
                  "s3":{"s3SchemaVersion":"1.0","configurationId":"digiads-image-events",
                        "bucket":{"name":"%s","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::%s"},
                        "object":{"key":"%s"%s}}}]}
                """.formatted(eventVersion, eventTime, eventName, principal, BUCKET, BUCKET, encodedKey,
                objectFields.isEmpty() ? "" : "," + objectFields);
    }

    /** The documented ObjectCreated:Put sample. */
    public static final String CREATED = s3Event("2.1", "ObjectCreated:Put", TIME, "AIDAJDPLRKLG7UEXAMPLE",
            "images/Happy+Face.jpg", "\"size\":1024,\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\","
                    + "\"versionId\":\"096fKKXTRTtl3on89fVO.nfljtsv6qko\",\"sequencer\":\"0055AED6DCD90281E5\"");

    /** A lifecycle expiration (event structure 2.3, done by S3 itself). */
    public static String lifecycleExpiration(String eventName, Instant eventTime, String encodedKey, String objectFields) {
        return s3Event("2.3", eventName, eventTime, "s3.amazonaws.com", encodedKey, objectFields);
    }

    /** SNS's envelope of a notification: the S3 event (or EventBridge event) is its Message, a string. */
    public static String sns(String message) {
        ObjectNode envelope = JSON.createObjectNode()
                .put("Type", "Notification")
                .put("MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324")
                .put("TopicArn", TOPIC)
                .put("Subject", "Amazon S3 Notification")
                .put("Message", message)
                .put("Timestamp", "2026-11-26T00:00:00.655Z")
                .put("SignatureVersion", "1")
                .put("Signature", "EXAMPLEw6JRN...")
                .put("SigningCertURL", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem")
                .put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TOPIC
                        + ":c9135db0-26c4-47ec-8998-413945fb5a96");
        return envelope.toString();
    }

    /** What SNS sends first to a new subscription that needs confirming. */
    public static final String SNS_SUBSCRIPTION_CONFIRMATION = """
            {"Type":"SubscriptionConfirmation","MessageId":"165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
             "Token":"2336412f37fb687f5d51e6e2425c464de12884ed",
             "TopicArn":"%1$s",
             "Message":"You have chosen to subscribe to the topic %1$s.\\nTo confirm the subscription, visit the SubscribeURL included in this message.",
             "SubscribeURL":"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=%1$s&Token=2336412f37fb687f5d51e6e2425c464de12884ed",
             "Timestamp":"2026-11-26T20:45:04.751Z","SignatureVersion":"1","Signature":"EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
             "SigningCertURL":"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem"}
            """.formatted(TOPIC);

    /** S3's test message, sent when a notification is configured. */
    public static final String TEST_EVENT = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-26T15:57:02.089Z\","
            + "\"Bucket\":\"digiads-images\",\"RequestId\":\"5582815E1AEA5ADF\","
            + "\"HostId\":\"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE\"}";

    /**
     * An EventBridge event of S3.
     *
     * @param key           the key as it is (EventBridge does not URL-encode it)
     * @param objectFields  the object's fields after its key, e.g. {@code "size":5,"sequencer":"617f08299329d189"}
     * @param detailFields  the detail's fields after requester, e.g. {@code "reason":"PutObject"}
     */
    public static String eventBridge(String detailType, Instant time, String requester, String key, String objectFields,
                                     String detailFields) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", "17793124-05d4-b198-2fde-7ededc63b103")
                .put("detail-type", detailType)
                .put("source", "aws.s3")
                .put("account", "111122223333")
                .put("time", time.toString())
                .put("region", "us-east-1");
        event.putArray("resources").add("arn:aws:s3:::" + BUCKET);
        try {
            ObjectNode detail = event.putObject("detail").put("version", "0");
            detail.putObject("bucket").put("name", BUCKET);
            ObjectNode object = (ObjectNode) JSON.readTree("{" + (objectFields.isEmpty() ? "" : objectFields) + "}");
            detail.putObject("object").put("key", key).setAll(object);
            detail.put("request-id", "N4N7GDK58NMKJ12R").put("requester", requester);
            detail.setAll((ObjectNode) JSON.readTree("{" + detailFields + "}"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return event.toString();
    }

    public static final String EB_CREATED = eventBridge("Object Created", TIME, "123456789012", "images/red flower+1.jpg",
            "\"size\":5,\"etag\":\"b1946ac92492d2347c6235b4d2611184\",\"version-id\":\"IYV3p45BT0ac8hjHg1houSdS1a.Mro8e\","
                    + "\"sequencer\":\"617f08299329d189\"",
            "\"source-ip-address\":\"1.2.3.4\",\"reason\":\"PutObject\"");
    public static final String EB_DELETED = eventBridge("Object Deleted", TIME, "123456789012", "images/red flower+1.jpg",
            "\"etag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"version-id\":\"1QW9g1Z99LUNbvaaYVpW9xDlOLU.qxgF\","
                    + "\"sequencer\":\"617f0837b476e463\"",
            "\"source-ip-address\":\"1.2.3.4\",\"reason\":\"DeleteObject\",\"deletion-type\":\"Delete Marker Created\"");
    public static final String EB_EXPIRED = eventBridge("Object Deleted", TIME, "s3.amazonaws.com", "images/red flower+1.jpg",
            "\"etag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"version-id\":\"mtB0cV.jejK63XkRNceanNMC.qXPWLeK\","
                    + "\"sequencer\":\"617b398000000000\"",
            "\"reason\":\"Lifecycle Expiration\",\"deletion-type\":\"Delete Marker Created\"");
    public static final String EB_RESTORE_COMPLETED = eventBridge("Object Restore Completed", TIME, "s3.amazonaws.com",
            "images/a.jpg", "\"size\":5,\"etag\":\"b1946ac92492d2347c6235b4d2611184\",\"version-id\":\"KKsjUC1.6gIjqtvhfg5AdMI0eCePIiT3\"",
            "\"restore-expiry-time\":\"2026-11-27T00:00:00Z\",\"source-storage-class\":\"GLACIER\"");

    /** An EventBridge event of another service, as a too-wide rule would forward it. */
    public static final String EC2_STATE_CHANGE = """
            {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification",
             "source":"aws.ec2","account":"123456789012","time":"2026-11-26T00:00:00Z","region":"us-east-1",
             "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
             "detail":{"instance-id":"i-abcd1111","state":"pending"}}
            """;
}
