package digiads.labels;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A page of labels by name; nextCursor absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelPage(List<LabelCount> labels, String nextCursor) {
}
