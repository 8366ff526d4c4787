package digiads.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class S3EventParserTest {

    private final S3EventParser parser = new S3EventParser(new ObjectMapper(), new ImageKeys("digiads-images", "images/"));

    static String record(String eventName, String bucket, String encodedKey) {
        return """
                {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                 "eventTime":"2026-11-26T10:00:00.000Z","eventName":"%s",
                 "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
                       "object":{"key":"%s","size":1234,"eTag":"abc123","sequencer":"0055AED6DCD90281E5"}}}
                """.formatted(eventName, bucket, bucket, encodedKey);
    }

    static String message(String... records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    @Test
    void readsACreatedRecord() {
        S3Notification n = parser.parse(message(record("ObjectCreated:Put", "digiads-images", "images/cat.jpg")));

        assertThat(n.acknowledgeOnly()).isFalse();
        assertThat(n.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ImageEvent.Kind.CREATED);
            assertThat(e.eventName()).isEqualTo("ObjectCreated:Put");
            assertThat(e.bucket()).isEqualTo("digiads-images");
            assertThat(e.key()).isEqualTo("images/cat.jpg");
            assertThat(e.imageId()).isEqualTo("cat.jpg");
            assertThat(e.size()).isEqualTo(1234);
            assertThat(e.eTag()).isEqualTo("abc123");
            assertThat(e.sequencer()).isEqualTo("0055AED6DCD90281E5");
            assertThat(e.eventTime()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        });
    }

    @Test
    void readsEveryRecordOfAMessageInOrder() {
        S3Notification n = parser.parse(message(
                record("ObjectCreated:Put", "digiads-images", "images/a.jpg"),
                record("ObjectRemoved:Delete", "digiads-images", "images/b.jpg"),
                record("ObjectCreated:CompleteMultipartUpload", "digiads-images", "images/c.jpg")));

        assertThat(n.events()).extracting(ImageEvent::imageId).containsExactly("a.jpg", "b.jpg", "c.jpg");
        assertThat(n.events()).extracting(ImageEvent::kind)
                .containsExactly(ImageEvent.Kind.CREATED, ImageEvent.Kind.REMOVED, ImageEvent.Kind.CREATED);
    }

    @Test
    void decodesKeysTheWayS3EncodesThem() {
        // S3 encodes a space as '+', a plus as %2B; some emulators encode '/' as %2F as well.
        S3Notification n = parser.parse(message(
                record("ObjectCreated:Put", "digiads-images", "images/summer+holiday%2B2026/%C3%BCber+m%C3%A4rz.jpg"),
                record("ObjectCreated:Put", "digiads-images", "images%2Fa%2Fb.png")));

        assertThat(n.events()).extracting(ImageEvent::imageId)
                .containsExactly("summer holiday+2026/über märz.jpg", "a/b.png");
    }

    @Test
    void recognisesTheS3TestEvent() {
        S3Notification n = parser.parse("""
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-26T21:55:28.062Z",
                 "Bucket":"digiads-images","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}
                """);

        assertThat(n.acknowledgeOnly()).isTrue();
        assertThat(n.nothingToDo()).isEqualTo("S3 test event for bucket digiads-images");
        assertThat(n.events()).isEmpty();
    }

    @Test
    void keepsUnknownEventNamesAsOther() {
        S3Notification n = parser.parse(message(record("ObjectRestore:Completed", "digiads-images", "images/a.jpg")));

        assertThat(n.events()).singleElement().extracting(ImageEvent::kind).isEqualTo(ImageEvent.Kind.OTHER);
    }

    @Test
    void leavesOutRecordsOfOtherBucketsAndKeysOutsideThePrefix() {
        S3Notification n = parser.parse(message(
                record("ObjectCreated:Put", "someone-elses-bucket", "images/a.jpg"),
                record("ObjectCreated:Put", "digiads-images", "thumbnails/a.jpg"),
                record("ObjectCreated:Put", "digiads-images", "images/"),
                record("ObjectCreated:Put", "digiads-images", "images/kept.jpg")));

        assertThat(n.events()).extracting(ImageEvent::imageId).containsExactly("kept.jpg");
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertThatThrownBy(() -> parser.parse("this is not json {"))
                .isInstanceOf(MalformedMessageException.class).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> parser.parse(""))
                .isInstanceOf(MalformedMessageException.class).hasMessage("empty message body");
    }

    @Test
    void rejectsJsonThatIsNotAnS3Event() {
        assertThatThrownBy(() -> parser.parse("{\"hello\":\"world\"}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("no Records array");
        assertThatThrownBy(() -> parser.parse("[1,2,3]"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parser.parse("{\"Records\":[]}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("Records is empty");
        assertThatThrownBy(() -> parser.parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]}"))
                .isInstanceOf(MalformedMessageException.class).hasMessage("record 0 has no bucket name");
        assertThatThrownBy(() -> parser.parse(message(
                record("ObjectCreated:Put", "digiads-images", "images/a.jpg"),
                "{\"s3\":{\"bucket\":{\"name\":\"digiads-images\"},\"object\":{\"key\":\"images/b.jpg\"}}}")))
                .isInstanceOf(MalformedMessageException.class).hasMessage("record 1 has no eventName");
        assertThatThrownBy(() -> parser.parse(message(
                record("ObjectCreated:Put", "digiads-images", "images/a.jpg"),
                "{\"eventName\":42}")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("record 1 is not an S3 event record: 'eventName' was not a string");
        assertThatThrownBy(() -> parser.parse(message("{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"}}}")))
                .isInstanceOf(MalformedMessageException.class).hasMessage("record 0 has no object key");
    }

    @Test
    void rejectsAnUndecodableKeyOrTime() {
        assertThatThrownBy(() -> parser.parse(message(record("ObjectCreated:Put", "digiads-images", "images/%ZZ"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("undecodable key");
        assertThatThrownBy(() -> parser.parse(message(
                record("ObjectCreated:Put", "digiads-images", "images/a.jpg").replace("2026-11-26T10:00:00.000Z", "yesterday"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("invalid eventTime");
    }

    @Test
    void rejectsARecordWhoseSequencerIsNotHexadecimal() {
        assertThatThrownBy(() -> parser.parse(message(record("ObjectCreated:Put", "digiads-images", "images/a.jpg")
                .replace("0055AED6DCD90281E5", "not-hex"))))
                .isInstanceOf(digiads.events.MalformedMessageException.class)
                .hasMessageContaining("sequencer is not hexadecimal: not-hex");
    }
}
