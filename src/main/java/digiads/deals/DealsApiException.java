package digiads.deals;

/** The Deals API answered something that breaks its contract: counted as a failed call. */
public class DealsApiException extends RuntimeException {

    public DealsApiException(String message) {
        super(message);
    }

    public DealsApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
