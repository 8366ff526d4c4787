package digiads.metadata;

/**
 * A state that is older than the one stored for its image (by order token): it changes nothing, which
 * is no error (an event delivered late or again).
 */
public class OlderStateException extends RuntimeException {

    public OlderStateException(String message) {
        super(message, null, false, false);
    }
}
