package routes;

import digiads.DigiadsProperties;
import digiads.api.ApiError;
import digiads.api.ImageRef;
import digiads.api.PresignedUpload;
import digiads.api.UploadRequest;
import digiads.brandsafety.MetadataWithBrandSafety;
import digiads.deals.DigiAds;
import digiads.labels.ImagePage;
import digiads.labels.LabelPage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * The REST surface under {@code /api} (platform-http) and its OpenAPI document at
 * {@code /api/openapi.json}. Each operation hands over to the route of its function. Who may call
 * which operation is enforced by {@link digiads.security.ApiSecurityConfig}; the document declares it
 * (OAuth2 client credentials, a scope per operation).
 */
@Component
public class RestApiRoute extends RouteBuilder {

    private static final String OAUTH2 = "oauth2";

    private final String readScope;
    private final String writeScope;

    public RestApiRoute(DigiadsProperties properties) {
        this.readScope = properties.security().readScope();
        this.writeScope = properties.security().writeScope();
    }

    @Override
    public void configure() {
        restConfiguration()
            .component("platform-http")
            .contextPath("{{digiads.api.context-path}}")
            .bindingMode(RestBindingMode.off)
            // read bodies as bytes (the default reads them as characters, which corrupts images)
            .endpointProperty("useStreaming", "true")
            .apiContextPath("/openapi.json")
            .apiContextRouteId("openapi")
            // servers: "/api" as seen by the client, or its X-Forwarded-* origin behind a proxy
            .useXForwardHeaders(true)
            .apiProperty("api.title", "digiads")
            .apiProperty("api.version", "{{digiads.api.version}}")
            .apiProperty("api.description", "Image metadata from Amazon Rekognition and deals for an image's labels")
            .apiProperty("openapi.version", "3.0.3");

        rest("/images").description("Images, their metadata and their ads")
            .securityDefinitions()
                .oauth2(OAUTH2, "Bearer access tokens of the issuer (Amazon Cognito; the local issuer on a laptop)")
                    .clientCredentials("{{digiads.security.token-url}}")
                    .withScope(readScope, "Read images' metadata and ads")
                    .withScope(writeScope, "Upload and delete images")
                .end()
            .end()
            .post()
                .id("upload-image-api").description("Store an image; the pipeline labels it within seconds")
                .consumes("image/jpeg,image/png,image/*").produces("application/json")
                .param().name("name").type(RestParamType.query).required(false)
                    .description("imageId to store under; a unique one is generated when absent").endParam()
                .param().name("image").type(RestParamType.body).required(true).dataType("string").dataFormat("binary")
                    .description("The image's bytes (at most 15 MB)").endParam()
                .responseMessage().code(202).message("Stored; metadata follows asynchronously").responseModel(ImageRef.class).endResponseMessage()
                .responseMessage().code(400).message("Empty body or invalid name").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(413).message("Image larger than allowed").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(415).message("Content-Type is not image/*").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(429).message("Too many writes from this client; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, writeScope)
                .to("direct:upload-image")
            .post("/uploads")
                .id("presign-upload-api").description("A presigned S3 PUT URL for an image: send its bytes straight to S3 "
                        + "with exactly the returned headers before expiresAt; the pipeline labels it as any other")
                .consumes("application/json").produces("application/json")
                .type(UploadRequest.class)
                .responseMessage().code(201).message("Where and how to PUT the image").responseModel(PresignedUpload.class).endResponseMessage()
                .responseMessage().code(400).message("Not a JSON request, no or zero contentLength, or an invalid name").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(413).message("contentLength larger than allowed, or a request body over 16 KB").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(415).message("contentType is not image/*").responseModel(ApiError.class).endResponseMessage()
                .to("direct:presign-upload")
            .get()
                .id("find-images-api").description("The images carrying a label, newest first, a page at a time. "
                        + "The label is matched case-insensitively; an image whose brand-safety verdict is UNSAFE is "
                        + "marked unsafe. A page may hold fewer than limit images (minConfidence passes few): follow "
                        + "nextCursor until there is none.")
                .produces("application/json")
                .param().name("label").type(RestParamType.query).required(true).description("The label, e.g. Dog").endParam()
                .param().name("minConfidence").type(RestParamType.query).required(false).dataType("number")
                    .description("Only images carrying the label with at least this confidence (0 to 100)").endParam()
                .param().name("limit").type(RestParamType.query).required(false).dataType("integer")
                    .description("Images a page (1 to {{digiads.search.max-limit}}, default {{digiads.search.default-limit}})").endParam()
                .param().name("cursor").type(RestParamType.query).required(false)
                    .description("nextCursor of the previous page, as it is").endParam()
                .responseMessage().code(200).message("A page of images; an unknown label has none").responseModel(ImagePage.class).endResponseMessage()
                .responseMessage().code(400).message("No label, a bad minConfidence or limit, or a cursor this query did not give").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, readScope)
                .to("direct:find-images")
            .get("/{imageId}/picture")
                .id("get-picture-api").description("Where to GET the image's picture: a presigned S3 URL, valid until expiresAt")
                .produces("application/json")
                .param().name("imageId").type(RestParamType.path).description("Percent-encoded imageId (a / is %2F)").endParam()
                .responseMessage().code(200).message("The picture's URL").responseModel(digiads.gallery.Picture.class).endResponseMessage()
                .responseMessage().code(404).message("No metadata for this image").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time, or the metadata was written by a newer release; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, readScope)
                .to("direct:get-picture")
            .get("/{imageId}/metadata")
                .id("get-metadata-api").description("The image's metadata (getMetadata), with its brand-safety verdict "
                        + "(LABELED images): decided now from its moderation labels and the current policy")
                .produces("application/json")
                .param().name("imageId").type(RestParamType.path).description("Percent-encoded imageId (a / is %2F)").endParam()
                .responseMessage().code(200).message("The metadata and its brand-safety verdict").responseModel(MetadataWithBrandSafety.class).endResponseMessage()
                .responseMessage().code(404).message("No metadata for this image").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("The metadata was written by a newer release than this instance reads; another instance may answer").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, readScope)
                .to("direct:get-metadata")
            .get("/{imageId}/digiads")
                .id("get-digiads-api").description("The image's labels with deals for its top labels (getDigiAds). "
                        + "Deals trouble never fails the call: dealsStatus and degraded say how fresh and complete the deals are. "
                        + "Brand safety first: an UNSAFE image gets no deals (dealsStatus BLOCKED, brandSafety.categories say why), "
                        + "nor does one without a verdict (UNVERIFIED); a RESTRICTED one gets deals and brandSafety names the restrictions.")
                .produces("application/json")
                .param().name("imageId").type(RestParamType.path).description("Percent-encoded imageId (a / is %2F)").endParam()
                .responseMessage().code(200).message("Labels, deals and the brand-safety verdict").responseModel(DigiAds.class).endResponseMessage()
                .responseMessage().code(404).message("No metadata for this image").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("The metadata was written by a newer release than this instance reads; another instance may answer").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, readScope)
                .to("direct:get-digiads")
            .delete("/{imageId}")
                .id("delete-image-api").description("Delete the image; the pipeline removes its metadata")
                .produces("application/json")
                .param().name("imageId").type(RestParamType.path).description("Percent-encoded imageId (a / is %2F)").endParam()
                .responseMessage().code(202).message("Deleted; metadata removal follows asynchronously").responseModel(ImageRef.class).endResponseMessage()
                .responseMessage().code(404).message("No image can have this id").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(429).message("Too many writes from this client; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, writeScope)
                .to("direct:delete-image");

        rest("/gallery").description("Recent images")
            .get()
                .id("gallery-api").description("Recent images, newest first (the gallery): their status, top labels "
                        + "and a link to the picture (a presigned S3 GET). Deleted images are not listed; an image is listed once the pipeline stored its state")
                .produces("application/json")
                .param().name("limit").type(RestParamType.query).required(false).dataType("integer")
                    .description("How many images, 1 to 100 (24 when absent)").endParam()
                .responseMessage().code(200).message("The recent images").responseModel(digiads.gallery.GalleryPage.class).endResponseMessage()
                .responseMessage().code(400).message("limit is not a whole number from 1 to 100").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, readScope)
                .to("direct:list-images");

        rest("/labels").description("The labels of the images")
            .get()
                .id("list-labels-api").description("The labels, by name, with how many images carry each, a page at a time")
                .produces("application/json")
                .param().name("limit").type(RestParamType.query).required(false).dataType("integer")
                    .description("Labels a page (1 to {{digiads.search.max-limit}}, default {{digiads.search.default-limit}})").endParam()
                .param().name("cursor").type(RestParamType.query).required(false)
                    .description("nextCursor of the previous page, as it is").endParam()
                .responseMessage().code(200).message("A page of labels").responseModel(LabelPage.class).endResponseMessage()
                .responseMessage().code(400).message("A bad limit, or a cursor this query did not give").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(401).message("No access token, or one that is not accepted").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(403).message("The access token lacks the operation's scope").responseModel(ApiError.class).endResponseMessage()
                .responseMessage().code(503).message("AWS did not answer in time; see Retry-After").responseModel(ApiError.class).endResponseMessage()
                .security(OAUTH2, readScope)
                .to("direct:list-labels");

        // upload and delete both answer 202 with where the image is (exchange property "image")
        from("direct:image-accepted").routeId("image-accepted")
            .removeHeaders("*")
            .setBody(exchangeProperty("image"))
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
            .marshal().json();
    }
}
