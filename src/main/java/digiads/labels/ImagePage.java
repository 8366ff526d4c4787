package digiads.labels;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A page of images carrying a label (its normalized name), newest first; nextCursor absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImagePage(String label, List<ImageHit> images, String nextCursor) {
}
