package digiads.brandsafety;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import digiads.metadata.ImageMetadata;

/**
 * What getMetadata answers: the stored metadata with the brand-safety verdict of the moment next to its
 * fields (absent for an image that is not LABELED). The verdict is never part of the metadata message
 * or item, so no release stores a verdict another policy would contradict.
 */
public record MetadataWithBrandSafety(@JsonUnwrapped ImageMetadata metadata, BrandSafety brandSafety) {
}
