package digiads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;

import digiads.brandsafety.ModerationCategory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The brand-safety policy and the moderation settings as Spring binds them from application.properties
 * (and the environment): typed, validated, and a wrong policy keeps the application from starting.
 */
class DigiadsPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DigiadsProperties.class)
    static class Properties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class)
            .withPropertyValues("digiads.security.issuer-uri=https://issuer.example");

    @Test
    void theDefaultPolicyBlocksAndRestrictsWhatTheReadmeSays() {
        runner.run(context -> {
            DigiadsProperties properties = context.getBean(DigiadsProperties.class);
            assertThat(properties.brandSafety().block()).isEqualTo(EnumSet.of(ModerationCategory.EXPLICIT,
                    ModerationCategory.NON_EXPLICIT_NUDITY, ModerationCategory.VIOLENCE,
                    ModerationCategory.VISUALLY_DISTURBING, ModerationCategory.HATE_SYMBOLS,
                    ModerationCategory.RUDE_GESTURES));
            assertThat(properties.brandSafety().restrict()).isEqualTo(EnumSet.of(ModerationCategory.ALCOHOL,
                    ModerationCategory.GAMBLING, ModerationCategory.DRUGS_AND_TOBACCO));
            assertThat(properties.brandSafety().minConfidence()).isEqualTo(60f);
            assertThat(properties.rekognition().moderationMinConfidence()).isEqualTo(50f);
            assertThat(properties.aws().rekognitionEndpoint()).as("empty: the endpoint of every client (real AWS)").isEmpty();
        });
    }

    @Test
    void categoriesAreNamedByTheirConstantInAnyCaseWithDashes() {
        runner.withPropertyValues("digiads.brand-safety.block=Swimwear-Or-Underwear,alcohol", "digiads.brand-safety.restrict=")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DigiadsProperties.BrandSafety policy = context.getBean(DigiadsProperties.class).brandSafety();
                    assertThat(policy.block()).containsExactlyInAnyOrder(ModerationCategory.SWIMWEAR_OR_UNDERWEAR,
                            ModerationCategory.ALCOHOL);
                    assertThat(policy.restrict()).isEmpty();
                });
    }

    @Test
    void anUnknownCategoryKeepsTheApplicationFromStarting() {
        runner.withPropertyValues("digiads.brand-safety.block=violence,violnce").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("digiads.brand-safety.block")
                        .rootCause().hasMessageContaining("violnce"));
    }

    @Test
    void aCategoryThatBothBlocksAndRestrictsKeepsTheApplicationFromStarting() {
        runner.withPropertyValues("digiads.brand-safety.restrict=alcohol,violence").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("a category either blocks or restricts ads, not both"));
    }

    @Test
    void aThresholdBelowTheStoredLabelsOrAbove100KeepsTheApplicationFromStarting() {
        runner.withPropertyValues("digiads.brand-safety.min-confidence=40").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining(
                        "digiads.brand-safety.min-confidence must not be below digiads.rekognition.moderation-min-confidence"));
        runner.withPropertyValues("digiads.brand-safety.min-confidence=101").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("minConfidence"));
        runner.withPropertyValues("digiads.brand-safety.min-confidence=40", "digiads.rekognition.moderation-min-confidence=40")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void dynamoDbMayHaveAnEndpointOfItsOwn() {
        runner.withPropertyValues("digiads.aws.endpoint-override=http://moto:4566",
                "digiads.aws.dynamodb-endpoint-override=http://dynamodb:8000").run(context -> {
                    DigiadsProperties.Aws aws = context.getBean(DigiadsProperties.class).aws();
                    assertThat(aws.dynamodbEndpoint()).hasValue(java.net.URI.create("http://dynamodb:8000"));
                    assertThat(aws.endpoint()).hasValue(java.net.URI.create("http://moto:4566"));
                    assertThat(aws.rekognitionEndpoint()).hasValue(java.net.URI.create("http://moto:4566"));
                });
        runner.withPropertyValues("digiads.aws.endpoint-override=http://moto:4566").run(context ->
                assertThat(context.getBean(DigiadsProperties.class).aws().dynamodbEndpoint())
                        .hasValue(java.net.URI.create("http://moto:4566")));
    }

    @Test
    void rekognitionMayHaveAnEndpointOfItsOwn() {
        runner.withPropertyValues("digiads.aws.endpoint-override=http://moto:4566",
                "digiads.aws.rekognition-endpoint-override=http://rekognition:8080").run(context -> {
                    DigiadsProperties.Aws aws = context.getBean(DigiadsProperties.class).aws();
                    assertThat(aws.rekognitionEndpoint()).hasValue(java.net.URI.create("http://rekognition:8080"));
                    assertThat(aws.endpoint()).hasValue(java.net.URI.create("http://moto:4566"));
                });
        runner.withPropertyValues("digiads.aws.endpoint-override=http://moto:4566").run(context ->
                assertThat(context.getBean(DigiadsProperties.class).aws().rekognitionEndpoint())
                        .hasValue(java.net.URI.create("http://moto:4566")));
    }
}
