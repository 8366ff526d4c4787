package digiads.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Labels match case-insensitively, whatever the spacing and Unicode form. */
class LabelNamesTest {

    @Test
    void caseSpacingAndCompatibilityFormsAreOneLabel() {
        assertThat(LabelNames.normalize("Dog")).isEqualTo("dog");
        assertThat(LabelNames.normalize("  DOG ")).isEqualTo("dog");
        assertThat(LabelNames.normalize("Golden\t \nRetriever")).isEqualTo("golden retriever");
        assertThat(LabelNames.normalize("ＤＯＧ")).as("full-width letters (NFKC)").isEqualTo("dog");
        assertThat(LabelNames.normalize("İstanbul")).as("root locale, not the default's").isEqualTo("i̇stanbul");
    }

    @Test
    void nothingIsNoLabel() {
        assertThat(LabelNames.normalize(null)).isNull();
        assertThat(LabelNames.normalize("")).isNull();
        assertThat(LabelNames.normalize(" \t ")).isNull();
    }
}
