package digiads.metadata;

/**
 * LABELED by Rekognition; REJECTED without asking it (the reason says why); DELETED: a tombstone,
 * kept for a while after the object was removed so that a late ObjectCreated cannot bring it back.
 */
public enum MetadataStatus { LABELED, REJECTED, DELETED }
