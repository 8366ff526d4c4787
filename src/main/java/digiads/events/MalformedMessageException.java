package digiads.events;

/**
 * A queue message that can never be processed, however often it is retried: it goes to its
 * dead-letter queue with this exception's message as the reason.
 */
public class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String reason) {
        super(reason);
    }

    public MalformedMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
