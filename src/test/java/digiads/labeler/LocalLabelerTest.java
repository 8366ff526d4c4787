package digiads.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import digiads.TestImages;
import digiads.local.MotoServer;
import digiads.local.RekognitionStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.ImageTooLargeException;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.InvalidS3ObjectException;
import software.amazon.awssdk.services.rekognition.model.Label;
import software.amazon.awssdk.services.rekognition.model.Parent;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local labeler as the application meets it: the AWS SDK's Rekognition client against the
 * Rekognition stand-in, which passes DetectLabels to the real model. Photos from scikit-image's sample
 * data (src/test/resources/photos/README.md) get the label a person would give them; a blank or noisy
 * image gets none; parameters and errors are the service's.
 */
class LocalLabelerTest {

    private static final String BUCKET = "labeler-test-" + System.nanoTime();

    private static RekognitionClient rekognition;
    private static S3Client s3;

    @BeforeAll
    static void clients() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        rekognition = RekognitionClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create(RekognitionStandIn.shared().baseUrl())).build();
        s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials).forcePathStyle(true)
                .endpointOverride(URI.create(MotoServer.shared().endpoint())).build();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void close() {
        rekognition.close();
        s3.close();
    }

    @ParameterizedTest(name = "{0} is labeled {1} at {2} % or more")
    @CsvSource({
            "chelsea.png, Cat, 90",
            "chelsea.png, Animal, 90",
            "chelsea.jpg, Cat, 90",
            "coffee.png, Espresso, 90",
            "coffee.png, Drink, 90",
            "camera.png, Tripod, 90",
            "rocket.jpg, Rocket, 35",
    })
    void aPhotoGetsTheLabelAPersonWouldGiveIt(String photo, String label, float confidence) {
        DetectLabelsResponse labels = detect(photo(photo), b -> b.minConfidence(30f));

        assertThat(labels.labels()).as(photo + ": " + names(labels))
                .anySatisfy(l -> {
                    assertThat(l.name()).isEqualTo(label);
                    assertThat(l.confidence()).isGreaterThanOrEqualTo(confidence);
                });
    }

    @Test
    void aLabelNamesItsParentsAndCategoryAsTheServiceDoes() {
        DetectLabelsResponse labels = detect(photo("chelsea.png"), b -> { });

        Label cat = labels.labels().stream().filter(l -> l.name().equals("Cat")).findFirst().orElseThrow();
        assertThat(cat.parents()).extracting(Parent::name).contains("Animal", "Mammal");
        assertThat(cat.categories()).extracting(c -> c.name()).containsExactly("Animal");
        assertThat(labels.labels()).as("most confident first").isSortedAccordingTo(
                (a, b) -> Float.compare(b.confidence(), a.confidence()));
        assertThat(labels.labelModelVersion()).isNotBlank();
    }

    @Test
    void aBlankOrNoisyImageGetsNoConfidentLabel() {
        assertThat(detect(TestImages.uniform(224, 224, 0x808080, "png"), b -> { }).labels()).isEmpty();
        assertThat(detect(TestImages.noise(224, 224, new Random(7), "png"), b -> { }).labels()).isEmpty();
    }

    @Test
    void anImageIsTurnedAsItsExifOrientationSays() {
        // the same photo, its pixels turned a quarter and EXIF Orientation 8 telling a viewer to turn them back
        List<Label> upright = detect(photo("chelsea.jpg"), b -> b.minConfidence(5f)).labels();
        List<Label> turned = detect(photo("chelsea-exif-orientation-8.jpg"), b -> b.minConfidence(5f)).labels();

        assertThat(turned).extracting(Label::name).containsExactlyElementsOf(names(upright));
        for (int i = 0; i < upright.size(); i++) {
            assertThat(turned.get(i).confidence()).as(upright.get(i).name())
                    .isCloseTo(upright.get(i).confidence(), org.assertj.core.data.Offset.offset(3f));
        }
    }

    @Test
    void anImageInS3IsLabeledAsTheSameBytesAre() {
        byte[] photo = photo("coffee.png");
        s3.putObject(b -> b.bucket(BUCKET).key("images/coffee.png"), RequestBody.fromBytes(photo));

        DetectLabelsResponse byReference = rekognition.detectLabels(b -> b.image(i -> i.s3Object(
                o -> o.bucket(BUCKET).name("images/coffee.png"))));

        assertThat(byReference.labels()).isNotEmpty().isEqualTo(detect(photo, b -> { }).labels());
    }

    @Test
    void maxLabelsAndMinConfidenceBoundTheAnswer() {
        byte[] photo = photo("chelsea.png");
        List<Label> all = detect(photo, b -> b.minConfidence(0f)).labels();

        assertThat(detect(photo, b -> b.maxLabels(2).minConfidence(0f)).labels()).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(detect(photo, b -> b.minConfidence(50f)).labels())
                .allSatisfy(l -> assertThat(l.confidence()).isGreaterThanOrEqualTo(50f))
                .containsExactlyElementsOf(all.stream().filter(l -> l.confidence() >= 50f).toList());
        assertThat(detect(photo, b -> b.maxLabels(0)).labels()).isEmpty();
    }

    @Test
    void whatIsNotAJpegOrPngIsAnInvalidImageFormat() {
        assertThatThrownBy(() -> detect(TestImages.gif(), b -> { })).isInstanceOf(InvalidImageFormatException.class);
        assertThatThrownBy(() -> detect("not an image".getBytes(), b -> { }))
                .isInstanceOf(InvalidImageFormatException.class);
        byte[] truncated = java.util.Arrays.copyOf(TestImages.jpeg(), 200);
        assertThatThrownBy(() -> detect(truncated, b -> { })).isInstanceOf(InvalidImageFormatException.class);
    }

    @Test
    void bytesOverFiveMegabytesAreTooLarge() {
        byte[] large = new byte[5 * 1024 * 1024 + 1];
        assertThatThrownBy(() -> detect(large, b -> { })).isInstanceOf(ImageTooLargeException.class);
    }

    @Test
    void aMissingObjectIsAnInvalidS3Object() {
        assertThatThrownBy(() -> rekognition.detectLabels(b -> b.image(i -> i.s3Object(
                o -> o.bucket(BUCKET).name("images/none.jpg"))))).isInstanceOf(InvalidS3ObjectException.class);
        assertThatThrownBy(() -> rekognition.detectLabels(b -> b.image(i -> i.s3Object(
                o -> o.bucket("no-such-bucket").name("a.jpg"))))).isInstanceOf(InvalidS3ObjectException.class);
    }

    @Test
    void parametersOutOfRangeAreInvalid() {
        byte[] image = TestImages.jpeg();
        assertThatThrownBy(() -> detect(image, b -> b.minConfidence(101f))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> detect(image, b -> b.maxLabels(-1))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> rekognition.detectLabels(b -> b.image(i -> i.bytes(SdkBytes.fromByteArray(image))
                .s3Object(o -> o.bucket(BUCKET).name("a.jpg"))))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> rekognition.detectLabels(b -> { })).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void theGeneralLabelFiltersKeepAndDropLabels() {
        byte[] photo = photo("chelsea.png");

        assertThat(detect(photo, b -> b.settings(s -> s.generalLabels(g -> g.labelInclusionFilters("Cat")))).labels())
                .extracting(Label::name).containsExactly("Cat");
        assertThat(detect(photo, b -> b.settings(s -> s.generalLabels(g -> g.labelExclusionFilters("Cat")))).labels())
                .extracting(Label::name).isNotEmpty().doesNotContain("Cat");
        assertThat(detect(photo, b -> b.settings(s -> s.generalLabels(g -> g.labelCategoryExclusionFilters("Animal"))))
                .labels()).allSatisfy(l -> assertThat(l.categories()).extracting(c -> c.name()).doesNotContain("Animal"));
    }

    private static DetectLabelsResponse detect(byte[] image, Consumer<DetectLabelsRequest.Builder> request) {
        return rekognition.detectLabels(b -> request.accept(b.image(i -> i.bytes(SdkBytes.fromByteArray(image)))));
    }

    private static byte[] photo(String name) {
        return TestImages.photo(name);
    }

    /** The labels as "Name confidence", for a failure's message. */
    private static List<String> names(DetectLabelsResponse labels) {
        return labels.labels().stream().map(l -> l.name() + " " + l.confidence()).toList();
    }

    private static List<String> names(List<Label> labels) {
        return labels.stream().map(Label::name).toList();
    }
}
