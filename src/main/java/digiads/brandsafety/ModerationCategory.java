package digiads.brandsafety;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The top-level (level 1) categories of Rekognition's moderation taxonomy, version 7
 * (ModerationModelVersion 7.x), each with the name Rekognition gives it and the names of its level-2
 * labels. In properties a category is named by its constant, in any case, with dashes
 * ({@code drugs-and-tobacco}); in answers by Rekognition's name ({@code Drugs & Tobacco}).
 */
public enum ModerationCategory {

    EXPLICIT("Explicit", "Explicit Nudity", "Explicit Sexual Activity", "Sex Toys"),
    NON_EXPLICIT_NUDITY("Non-Explicit Nudity of Intimate parts and Kissing",
            "Non-Explicit Nudity", "Obstructed Intimate Parts", "Kissing on the Lips"),
    SWIMWEAR_OR_UNDERWEAR("Swimwear or Underwear", "Female Swimwear or Underwear", "Male Swimwear or Underwear"),
    VIOLENCE("Violence", "Weapons", "Graphic Violence"),
    VISUALLY_DISTURBING("Visually Disturbing", "Death and Emaciation", "Crashes"),
    DRUGS_AND_TOBACCO("Drugs & Tobacco", "Products", "Drugs & Tobacco Paraphernalia & Use"),
    ALCOHOL("Alcohol", "Alcohol Use", "Alcoholic Beverages"),
    RUDE_GESTURES("Rude Gestures", "Middle Finger"),
    GAMBLING("Gambling", "Gambling"),
    HATE_SYMBOLS("Hate Symbols", "Nazi Party", "White Supremacy", "Extremist");

    private final String rekognitionName;
    private final List<String> levelTwo;

    ModerationCategory(String rekognitionName, String... levelTwo) {
        this.rekognitionName = rekognitionName;
        this.levelTwo = List.of(levelTwo);
    }

    /** The name of the category's level-1 label, as Rekognition writes it. */
    public String rekognitionName() {
        return rekognitionName;
    }

    /** The category whose level-1 label has this name. */
    public static Optional<ModerationCategory> named(String name) {
        return Arrays.stream(values()).filter(c -> c.rekognitionName.equals(name)).findFirst();
    }

    /** The category of a level-2 label of this name. */
    static Optional<ModerationCategory> ofLevelTwo(String name) {
        return Arrays.stream(values()).filter(c -> c.levelTwo.contains(name)).findFirst();
    }
}
