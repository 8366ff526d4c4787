package digiads.gallery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import digiads.api.ApiException;
import digiads.events.ImageKeys;
import digiads.metadata.ImageMetadata;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.UnsupportedSchemaVersionException;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The gallery: recent images, newest first, from the table's gallery index
 * ({@link MetadataItemMapper#RECENT_INDEX}), each with a link to its picture; and the link to one
 * image's picture. A link is a presigned S3 GET, valid {@code digiads.gallery.picture-url-ttl}: the
 * bytes come from S3, not through the app.
 */
@Component
public class Gallery {

    private static final Logger LOG = LoggerFactory.getLogger(Gallery.class);

    public static final int DEFAULT_LIMIT = 24;
    public static final int MAX_LIMIT = 100;
    /** Labels an image of the gallery shows; the image's own page has them all. */
    public static final int TOP_LABELS = 3;

    private final MetadataItemMapper mapper;
    private final S3Presigner presigner;
    private final ImageKeys keys;
    private final Duration ttl;

    public Gallery(MetadataItemMapper mapper, S3Presigner presigner, ImageKeys keys,
                   @Value("${digiads.gallery.picture-url-ttl}") Duration ttl) {
        this.mapper = mapper;
        this.presigner = presigner;
        this.keys = keys;
        this.ttl = ttl;
    }

    /** The index's one partition: every listed image. */
    public Map<String, Condition> keyConditions() {
        return Map.of(MetadataItemMapper.GALLERY, Condition.builder().comparisonOperator(ComparisonOperator.EQ)
                .attributeValueList(AttributeValue.fromS(MetadataItemMapper.GALLERY_ALL)).build());
    }

    /** The {@code limit} query parameter: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent; 400 otherwise. */
    public int limit(@Header("limit") String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + " (got '" + limit + "')");
    }

    /** The items the query found, as the gallery; an item of a newer major version is left out. */
    public GalleryPage page(@Header(Ddb2Constants.ITEMS) List<Map<String, AttributeValue>> items) {
        List<GalleryImage> images = new ArrayList<>();
        if (items != null) {
            for (Map<String, AttributeValue> item : items) {
                try {
                    ImageMetadata m = mapper.fromItem(item);
                    images.add(new GalleryImage(m.imageId(), m.status().name(), m.reason(), m.contentType(),
                            m.labels().stream().limit(TOP_LABELS).toList(), m.orderToken(), m.updatedAt(),
                            picture(m.imageId()).url()));
                } catch (UnsupportedSchemaVersionException e) {
                    LOG.debug("gallery: leaving out an item of a newer release: {}", e.getMessage());
                }
            }
        }
        return new GalleryPage(images);
    }

    /** A presigned GET of the image's object. */
    public Picture picture(String imageId) {
        var presigned = presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(get -> get.bucket(keys.bucket()).key(keys.key(imageId))));
        return new Picture(imageId, presigned.url().toString(), presigned.expiration());
    }
}
