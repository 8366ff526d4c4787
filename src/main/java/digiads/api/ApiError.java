package digiads.api;

/** The body of every error response: a stable machine-readable code and a message for people. */
public record ApiError(String error, String message) {

    public static ApiError of(ApiException e) {
        return new ApiError(e.error(), e.getMessage());
    }
}
