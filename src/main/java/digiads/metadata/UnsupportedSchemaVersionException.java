package digiads.metadata;

/**
 * Metadata of a major schema version this instance does not read: written by a newer release (see
 * {@link ImageMetadata#SCHEMA_VERSION}). Not a bug to retry, nor garbage: the data is meant for
 * instances of that release.
 */
public class UnsupportedSchemaVersionException extends IllegalArgumentException {

    private final int schemaVersion;

    public UnsupportedSchemaVersionException(int schemaVersion) {
        super("metadata schemaVersion " + schemaVersion + " is newer than this instance reads ("
                + ImageMetadata.SCHEMA_VERSION + ")");
        this.schemaVersion = schemaVersion;
    }

    public int schemaVersion() {
        return schemaVersion;
    }
}
