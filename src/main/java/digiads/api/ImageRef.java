package digiads.api;

/** Where an image is stored: the body of the 202 answers to upload and delete. */
public record ImageRef(String imageId, String bucket, String key) {
}
