package digiads.metadata;

/** Whether an image was labeled by Rekognition or rejected without asking it (the reason says why). */
public enum MetadataStatus { LABELED, REJECTED }
