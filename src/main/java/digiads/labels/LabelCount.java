package digiads.labels;

/** A label (its normalized name, and a name Rekognition gave it) and how many images carry it. */
public record LabelCount(String label, String name, long images) {
}
