package digiads.api;

/**
 * A request for a presigned upload ({@code POST /api/images/uploads}): the imageId to store under
 * (a unique one is generated when absent), the image's type and its exact size in bytes.
 */
public record UploadRequest(String name, String contentType, Long contentLength) {
}
